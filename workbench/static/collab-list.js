// What the queue page's lists show of agents working together: a conversation's unread count and
// the note of the transfer that brought it.

import { el } from "baton/dom.js";
import { t } from "baton/strings.js";

/** "3 unread" as a pill, or null. */
export function unreadBadge(item) {
  if (!item.unread) return null;
  return el("span", {
    class: "unread",
    "data-testid": "unread-count",
    "data-unread": item.unread,
    "aria-label": t("list.unread", { n: item.unread }),
    title: t("list.unread", { n: item.unread }),
    text: item.unread > 99 ? "99+" : String(item.unread),
  });
}

/** "Transferred by Ann: <note>", or null. */
export function transferLine(item) {
  const tr = item.transfer;
  if (!tr) return null;
  return el(
    "p",
    { class: "item__transfer", "data-testid": "transfer-note" },
    el("span", { class: "item__transfer-from", text: t("list.transferred_by", { name: tr.from || t("timeline.someone") }) }),
    tr.note ? el("span", { class: "item__transfer-note", text: tr.note }) : null,
  );
}
