// A WebSocket that stays connected: it reconnects with exponential backoff (1 s doubling to 30 s,
// with jitter), pings every 25 s so proxies keep it open, and asks for what it missed via ?after=.
// A policy close (1008: no access, no such conversation) is final: retrying cannot fix it.

const PING_MS = 25000;
const MAX_BACKOFF_MS = 30000;
const STABLE_MS = 5000;
const CLOSE_POLICY = 1008;

/**
 * connectLive("/api/v1/queue/ws", {onFrame, onState, after, hello})
 *   onFrame(frame)   every parsed server frame
 *   onState(state)   "live" once open, "offline" while reconnecting, "refused" after a policy close
 *   after()          the last seq seen, sent as ?after= on every (re)connect
 *   hello()          a first frame to send once open (the customer's auth frame)
 */
export function connectLive(path, { onFrame, onState = () => {}, after, hello } = {}) {
  let ws = null;
  let attempt = 0;
  let retryTimer = 0;
  let pingTimer = 0;
  let openedAt = 0;
  let stopped = false;

  function url() {
    const u = new URL(path, location.href);
    u.protocol = location.protocol === "https:" ? "wss:" : "ws:";
    if (after) u.searchParams.set("after", String(after()));
    return u.toString();
  }

  function open() {
    clearTimeout(retryTimer);
    ws = new WebSocket(url());
    ws.addEventListener("open", () => {
      openedAt = Date.now();
      if (hello) ws.send(JSON.stringify(hello()));
      pingTimer = setInterval(() => send({ type: "ping" }), PING_MS);
      onState("live");
    });
    ws.addEventListener("message", (ev) => {
      let frame;
      try {
        frame = JSON.parse(ev.data);
      } catch {
        return;
      }
      attempt = 0;
      if (frame && frame.type !== "pong") onFrame(frame);
    });
    ws.addEventListener("close", (ev) => {
      clearInterval(pingTimer);
      if (stopped) return;
      if (ev.code === CLOSE_POLICY) {
        stopped = true;
        onState("refused");
        return;
      }
      if (openedAt && Date.now() - openedAt > STABLE_MS) attempt = 0;
      openedAt = 0;
      onState("offline");
      const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** attempt) * (0.5 + Math.random() / 2);
      attempt += 1;
      retryTimer = setTimeout(open, delay);
    });
  }

  function send(frame) {
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(frame));
  }

  // Back online: no reason to wait out the backoff.
  window.addEventListener("online", () => {
    if (!stopped && ws && ws.readyState === WebSocket.CLOSED) open();
  });

  open();
  return {
    send,
    close() {
      stopped = true;
      clearTimeout(retryTimer);
      clearInterval(pingTimer);
      ws?.close(1000);
    },
  };
}
