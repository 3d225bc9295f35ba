// Transfer: the holder of a conversation hands it to a colleague (online with room: others are
// shown but cannot be picked) or to a team's queue, with a note the receiver sees.

import { el, say } from "baton/dom.js";
import { t, tOr } from "baton/strings.js";
import { api } from "baton/api.js";

/**
 * Opens the transfer dialog for the conversation at base. Resolves with {result, target} after a
 * transfer ({result: the API's answer, target: the colleague's name or the skill}), or null.
 */
export function transfer(base) {
  return new Promise((resolve) => {
    const agents = el("ul", { class: "choice-list", "data-testid": "transfer-agents" }, el("li", { class: "muted", text: t("transfer.loading") }));
    const teams = el("ul", { class: "choice-list", "data-testid": "transfer-teams" });
    const note = el("textarea", { id: "transfer-note", "data-testid": "transfer-note", rows: 3, maxlength: 1000, placeholder: t("transfer.note_placeholder") });
    const error = el("p", { class: "notice notice--error", role: "alert", "data-testid": "transfer-error", hidden: true });
    const submit = el("button", { type: "submit", class: "btn btn--primary", "data-testid": "transfer-submit", text: t("transfer.submit") });
    const cancel = el("button", { type: "button", class: "btn", "data-testid": "transfer-cancel", text: t("dialog.cancel") });
    const form = el(
      "form",
      { class: "dialog__body" },
      el("h2", { id: "transfer-title", text: t("transfer.title") }),
      el("fieldset", { class: "choice" }, el("legend", { text: t("transfer.to_agent") }), agents),
      el("fieldset", { class: "choice" }, el("legend", { text: t("transfer.to_team") }), teams),
      el("label", { for: "transfer-note", text: t("transfer.note") }),
      note,
      error,
      el("div", { class: "dialog__actions" }, cancel, submit),
    );
    const dialog = el("dialog", { class: "dialog dialog--wide", "data-testid": "transfer-dialog", "aria-labelledby": "transfer-title" }, form);
    document.body.append(dialog);
    let answer = null;
    dialog.addEventListener("close", () => {
      dialog.remove();
      resolve(answer);
    });
    cancel.addEventListener("click", () => dialog.close());

    const names = new Map(); // radio value → what to say after the transfer
    api("GET", `${base}/transfer-targets`)
      .then((data) => {
        const list = data.agents ?? [];
        agents.replaceChildren(
          ...(list.length
            ? list.map((a) => {
                names.set(`agent:${a.id}`, a.name);
                return choice({
                  value: `agent:${a.id}`,
                  testid: "transfer-agent",
                  disabled: !a.available,
                  title: a.name,
                  detail: `${a.email} · ${t("transfer.agent_state", { presence: tOr(`presence.${a.presence}`, a.presence), load: a.load, capacity: a.capacity })}`,
                  dot: a.presence,
                  attrs: { "data-agent-id": a.id },
                });
              })
            : [el("li", { class: "muted", text: t("transfer.no_agents") })]),
        );
        teams.replaceChildren(
          ...(data.skills ?? []).map((s) => {
            names.set(`skill:${s.skill}`, s.skill);
            return choice({
              value: `skill:${s.skill}`,
              testid: "transfer-team",
              title: s.skill,
              detail: t("transfer.team_state", { available: s.available, waiting: s.waiting }),
              attrs: { "data-skill": s.skill },
            });
          }),
        );
      })
      .catch((err) => say(error, t("common.error", { error: err.message })));

    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const picked = form.querySelector('input[name="transfer-target"]:checked')?.value;
      if (!picked) {
        say(error, t("transfer.pick"));
        return;
      }
      const [kind, ...rest] = picked.split(":");
      const id = rest.join(":");
      const body = kind === "agent" ? { agent_id: Number(id), note: note.value.trim() } : { skill: id, note: note.value.trim() };
      submit.disabled = true;
      say(error, "");
      try {
        const result = await api("POST", `${base}/transfer`, body);
        answer = { result, kind, target: names.get(picked) ?? id };
        dialog.close();
      } catch (err) {
        say(error, t("common.error", { error: err.message }));
      } finally {
        submit.disabled = false;
      }
    });
    dialog.showModal();
  });
}

function choice({ value, testid, disabled = false, title, detail, dot, attrs = {} }) {
  const id = `transfer-${value.replace(/[^A-Za-z0-9_-]/g, "_")}`;
  return el(
    "li",
    { class: `choice-list__item${disabled ? " choice-list__item--off" : ""}`, "data-testid": testid, ...attrs },
    el("input", { type: "radio", name: "transfer-target", id, value, disabled }),
    el(
      "label",
      { for: id },
      dot ? el("span", { class: `presence-dot presence-dot--${dot}`, "aria-hidden": "true" }) : null,
      el("span", { class: "choice-list__title", text: title }),
      el("span", { class: "choice-list__detail", text: detail }),
    ),
  );
}
