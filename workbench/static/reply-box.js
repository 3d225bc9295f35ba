// Putting prepared text into the agent's reply box (canned responses, suggested articles): the
// text goes in as the textarea's value, never as markup, and the agent still reviews and sends it.

/**
 * Replaces input's text from start to end (default: the selection) with text, puts the caret
 * after it and focuses the box. With separate, text that joins other text gets a blank line.
 * Returns the [start, end] range the text now occupies.
 */
export function insertIntoReply(input, text, { start, end, separate = false } = {}) {
  const from = start ?? input.selectionStart ?? input.value.length;
  const to = end ?? input.selectionEnd ?? from;
  let before = input.value.slice(0, from);
  let after = input.value.slice(to);
  let insert = text;
  if (separate) {
    if (before.trim()) insert = `${before.endsWith("\n\n") ? "" : before.endsWith("\n") ? "\n" : "\n\n"}${insert}`;
    else before = "";
    if (after.trim()) insert = `${insert}\n\n`;
    else after = "";
  }
  input.value = before + insert + after;
  const at = before.length + insert.length;
  input.focus();
  input.setSelectionRange(at, at);
  return [before.length + (insert.length - insert.trimStart().length), at];
}

/** Selects the first occurrence of marker inside [start, end) of input, if any; true if found. */
export function selectMarker(input, marker, [start, end]) {
  const i = input.value.indexOf(marker, start);
  if (i < 0 || i >= end) return false;
  input.focus();
  input.setSelectionRange(i, i + marker.length);
  return true;
}
