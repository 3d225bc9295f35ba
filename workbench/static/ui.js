// Small pieces several workbench pages draw the same way.

import { el, say } from "baton/dom.js";
import { t, tOr } from "baton/strings.js";

/** A coloured pill: badge("reason", "complaint") → "Complaint" styled as a complaint. */
export function badge(kind, value, attrs = {}) {
  return el("span", { class: `badge badge--${value}`, text: tOr(`${kind}.${value}`, value), ...attrs });
}

/** The label of a language code ("zh" → "Chinese"), or the code itself. */
export const languageName = (code) => (code ? tOr(`language.${code}`, code) : t("common.none"));

/** A conversation's channel as agents read it: Web chat, API, E-mail, or a messaging channel's name. */
export const channelName = (name) => (name ? tOr(`channel.${name}`, name) : t("common.none"));

/** Returns an onState callback for connectLive that shows "Live" / "Reconnecting…" in node. */
export function liveIndicator(node) {
  return (state) => {
    node.dataset.state = state;
    node.textContent = state === "live" ? t("common.live") : t("common.offline");
  };
}

/** Shows an ApiError (or any error) in node with the generic "Something went wrong" wording. */
export function showError(node, err) {
  say(node, err ? t("common.error", { error: err.message || String(err) }) : "");
}
