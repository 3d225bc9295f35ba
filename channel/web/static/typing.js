// "… is typing": sends this side's typing to the conversation (a start at most every few seconds
// while the text changes, a stop after a pause or once the message is sent) and shows the other
// side's, from the conversation socket's {"type":"typing"} frames. Nothing is stored.

import { el } from "baton/dom.js";
import { t } from "baton/strings.js";

const RESEND_MS = 3000; // a start is repeated this often while typing goes on
const PAUSE_MS = 4000; // no keystroke for this long sends a stop
const SHOW_MS = 7000; // the other side's indicator hides this long after its last start

/**
 * wireTyping({input, after, watch, post})
 *   input  the textarea whose typing is announced
 *   after  the element the indicator line goes after
 *   watch  whose typing to show: "customer" (on the agent's page) or "agent" (in the chat)
 *   post(on) sends {"typing": on}; a falsy return or a failure is ignored
 * Returns {frame(f), sent(), stop()}: feed it every socket frame; call sent() once a message went.
 */
export function wireTyping({ input, after, watch, post }) {
  const line = el("p", { class: "typing", "data-testid": "typing-indicator", role: "status", hidden: true });
  line.append(el("span", { class: "typing__dots", "aria-hidden": "true" }, el("i"), el("i"), el("i")), el("span", { text: watch === "agent" ? t("typing.agent") : t("typing.customer") }));
  after.after(line);

  let hideTimer = 0;
  const show = (on) => {
    clearTimeout(hideTimer);
    line.hidden = !on;
    if (on) hideTimer = setTimeout(() => (line.hidden = true), SHOW_MS);
  };

  let lastStart = 0;
  let pauseTimer = 0;
  let typing = false;
  const send = (on) => {
    try {
      Promise.resolve(post(on)).catch(() => {});
    } catch {
      // the indicator is a nicety: never in the way of writing
    }
  };
  const stop = () => {
    clearTimeout(pauseTimer);
    if (!typing) return;
    typing = false;
    lastStart = 0;
    send(false);
  };
  input.addEventListener("input", () => {
    if (!input.value.trim()) {
      stop();
      return;
    }
    const now = Date.now();
    if (now - lastStart > RESEND_MS) {
      lastStart = now;
      typing = true;
      send(true);
    }
    clearTimeout(pauseTimer);
    pauseTimer = setTimeout(stop, PAUSE_MS);
  });
  input.addEventListener("blur", stop);

  return {
    frame(f) {
      if (f.type === "typing" && f.who === watch) show(Boolean(f.typing));
      else if (f.type === "message" && f.message?.sender === watch) show(false);
    },
    sent: stop,
    stop,
  };
}
