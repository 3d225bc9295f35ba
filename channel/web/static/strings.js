// UI strings for the page's language, read from the <script type="application/json" id="i18n">
// the server renders, plus language-aware time formatting.

let catalog = null;

function strings() {
  if (catalog === null) {
    const node = document.getElementById("i18n");
    try {
      catalog = node ? JSON.parse(node.textContent) : {};
    } catch {
      catalog = {};
    }
  }
  return catalog;
}

/** The page language: "zh" or "en". */
export const lang = document.documentElement.lang.toLowerCase().startsWith("zh") ? "zh" : "en";

const locale = lang === "zh" ? "zh-CN" : "en";

/** t("queue.waiting", {time: "1:05"}): the string for key with {placeholders} filled in. */
export function t(key, vars = {}) {
  const s = strings()[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
}

/** t() for a key that may not exist (e.g. a reason code the UI does not know yet): falls back to raw. */
export function tOr(key, raw) {
  return key in strings() ? t(key) : raw;
}

/** "14:05" in the page's locale. */
export function formatTime(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? "" : d.toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit" });
}

/** Date and time in the page's locale. */
export function formatDateTime(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? "" : d.toLocaleString(locale, { dateStyle: "medium", timeStyle: "short" });
}

/** A wait as "m:ss" or "h:mm:ss". */
export function formatDuration(ms) {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}
