// A plain <textarea> made usable for YAML: line numbers, Tab / Shift+Tab indent and outdent by two
// spaces (YAML forbids tabs), Enter keeps the indentation, a cursor position, and "go to line" for
// errors. Escape releases the Tab key once, so keyboard users can still leave the box.

import { el } from "baton/dom.js";
import { t } from "baton/strings.js";

const INDENT = "  ";

/** codeEditor(textarea, gutter, cursorNode) → {value, setValue, markLine, goToLine} */
export function codeEditor(area, gutter, cursor) {
  let tabReleased = false;
  let marked = 0; // the 1-based line shown as the error line, 0 for none
  let lines = 0;

  const lineStart = (pos) => (pos > 0 ? area.value.lastIndexOf("\n", pos - 1) + 1 : 0);
  const lineEnd = (pos) => {
    const i = area.value.indexOf("\n", pos);
    return i < 0 ? area.value.length : i;
  };

  /** Replaces [start, end) with text, keeping the browser's undo history where it can. */
  function replace(start, end, text) {
    area.focus();
    area.setSelectionRange(start, end);
    if (!(text && document.execCommand("insertText", false, text))) {
      area.setRangeText(text, start, end, "end");
      area.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }

  function drawGutter() {
    const n = area.value.split("\n").length;
    if (n !== lines) {
      const nums = [];
      for (let i = 1; i <= n; i++) nums.push(el("span", { "data-line": i, text: i }));
      gutter.replaceChildren(...nums);
      lines = n;
    }
    for (const old of gutter.querySelectorAll(".is-error")) old.classList.remove("is-error");
    if (marked) gutter.querySelector(`[data-line="${marked}"]`)?.classList.add("is-error");
    gutter.scrollTop = area.scrollTop;
  }

  function showCursor() {
    const pos = area.selectionStart;
    const line = area.value.slice(0, pos).split("\n").length;
    cursor.textContent = t("bot.editor.cursor", { line, col: pos - lineStart(pos) + 1 });
    cursor.dataset.line = line;
  }

  /** Indents (or with outdent, un-indents) every line the selection touches. */
  function shiftLines(outdent) {
    const { selectionStart: s, selectionEnd: e } = area;
    const from = lineStart(s);
    const to = lineEnd(e > s && area.value[e - 1] === "\n" ? e - 1 : e);
    const block = area.value.slice(from, to).split("\n");
    const changed = block.map((l) => (outdent ? l.replace(/^ {1,2}/, "") : INDENT + l)).join("\n");
    if (changed === area.value.slice(from, to)) return;
    const firstDelta = outdent ? -(block[0].length - block[0].replace(/^ {1,2}/, "").length) : INDENT.length;
    replace(from, to, changed);
    area.setSelectionRange(Math.max(from, s + firstDelta), from + changed.length);
  }

  area.addEventListener("keydown", (ev) => {
    if (ev.isComposing || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (ev.key === "Escape") {
      tabReleased = true;
      return;
    }
    if (ev.key === "Tab") {
      if (tabReleased) return; // let focus move on
      ev.preventDefault();
      const { selectionStart: s, selectionEnd: e } = area;
      if (ev.shiftKey || area.value.slice(s, e).includes("\n")) shiftLines(ev.shiftKey);
      else replace(s, e, INDENT);
      return;
    }
    tabReleased = false;
    if (ev.key === "Enter" && !ev.shiftKey) {
      const s = area.selectionStart;
      const before = area.value.slice(lineStart(s), s);
      const [, lead, dash, rest] = /^( *)(- +)?(.*)$/.exec(before);
      let indent = lead;
      // "- name: x" continues with the item's next key, under "name".
      if (dash && /^[^\s#][^:]*:(\s|$)/.test(rest)) indent += " ".repeat(dash.length);
      // "examples:" opens a block.
      if (/:\s*$/.test(before)) indent += INDENT;
      if (!indent) return;
      ev.preventDefault();
      replace(s, area.selectionEnd, "\n" + indent);
    }
  });
  area.addEventListener("blur", () => (tabReleased = false));
  area.addEventListener("input", () => {
    marked = 0;
    drawGutter();
    showCursor();
  });
  area.addEventListener("scroll", () => (gutter.scrollTop = area.scrollTop));
  for (const type of ["keyup", "click", "select", "focus"]) area.addEventListener(type, showCursor);

  return {
    get value() {
      return area.value;
    },

    /** Replaces the whole text (not undoable: a newly loaded version). */
    setValue(text) {
      area.value = text;
      marked = 0;
      area.scrollTop = 0;
      drawGutter();
      showCursor();
    },

    /** Marks line n (1-based) as the error line in the gutter; 0 clears it. */
    markLine(n) {
      marked = n > 0 && n <= lines ? n : 0;
      area.dataset.errorLine = marked || "";
      drawGutter();
    },

    /** Puts the cursor on line n, selects it and scrolls it into the middle of the box. */
    goToLine(n) {
      const all = area.value.split("\n");
      const line = Math.min(Math.max(1, n), all.length);
      let start = 0;
      for (let i = 0; i < line - 1; i++) start += all[i].length + 1;
      area.focus();
      area.setSelectionRange(start, start + all[line - 1].length);
      const height = parseFloat(getComputedStyle(area).lineHeight) || 20;
      area.scrollTop = Math.max(0, (line - 1) * height - area.clientHeight / 3);
      gutter.scrollTop = area.scrollTop;
      showCursor();
    },
  };
}
