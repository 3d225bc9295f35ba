// A line diff for the article history: which lines only one side has, in order.

/** The largest comparison (lines × lines) matched line by line; past it the changed middle shows as removed, then added. */
const MAX_CELLS = 4_000_000;

/**
 * lineDiff(["a", "b"], ["a", "c"]) → [{op: " ", text: "a"}, {op: "-", text: "b"}, {op: "+", text: "c"}]:
 * "-" lines are only in a, "+" lines only in b (a longest-common-subsequence match).
 */
export function lineDiff(a, b) {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const head = a.slice(0, start).map((text) => ({ op: " ", text }));
  const tail = a.slice(endA).map((text) => ({ op: " ", text }));
  const x = a.slice(start, endA);
  const y = b.slice(start, endB);
  let middle;
  if ((x.length + 1) * (y.length + 1) > MAX_CELLS) {
    middle = [...x.map((text) => ({ op: "-", text })), ...y.map((text) => ({ op: "+", text }))];
  } else {
    middle = lcsDiff(x, y);
  }
  return [...head, ...middle, ...tail];
}

function lcsDiff(x, y) {
  const n = x.length;
  const m = y.length;
  const w = m + 1;
  // len[i*w + j]: the longest common subsequence of x[i:] and y[j:].
  const len = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      len[i * w + j] = x[i] === y[j] ? len[(i + 1) * w + j + 1] + 1 : Math.max(len[(i + 1) * w + j], len[i * w + j + 1]);
    }
  }
  const out = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (x[i] === y[j]) {
      out.push({ op: " ", text: x[i] });
      i++;
      j++;
    } else if (len[(i + 1) * w + j] >= len[i * w + j + 1]) {
      out.push({ op: "-", text: x[i++] });
    } else {
      out.push({ op: "+", text: y[j++] });
    }
  }
  while (i < n) out.push({ op: "-", text: x[i++] });
  while (j < m) out.push({ op: "+", text: y[j++] });
  return out;
}

/** Whether a diff has any change. */
export const changed = (diff) => diff.some((d) => d.op !== " ");
