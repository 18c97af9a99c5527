// Map DOM selections to code points of the paper's verbatim text, and code points back to DOM ranges.
// The DOM counts UTF-16 units (a character outside the BMP is two); the server counts code points.
// Every piece of text in the reader sits directly in an element whose data-start is its code-point
// offset; the markup of the formatted text (`## `, `**`, `<sup>`) is in such pieces too, inside `.mk`
// elements the page hides, so the pieces in order are the verbatim text and offsets never shift.

export function codePointLength(s) {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

// Code points in the first `units` UTF-16 units of `s`. A boundary inside a surrogate pair (which a
// user cannot make, but a script can) rounds down for a start and up for an end.
export function codePointsBefore(s, units, roundUp = false) {
  let n = 0;
  let i = 0;
  while (i < units && i < s.length) {
    i += s.codePointAt(i) > 0xffff ? 2 : 1;
    n++;
  }
  if (i > units && !roundUp) n--;
  return n;
}

// UTF-16 index in `s` of the code point at `points`.
export function unitsBefore(s, points) {
  let i = 0;
  for (let n = 0; n < points && i < s.length; n++) i += s.codePointAt(i) > 0xffff ? 2 : 1;
  return i;
}

function pieceStart(textNode) {
  const piece = textNode.parentElement;
  return piece && piece.hasAttribute("data-start") ? Number(piece.dataset.start) : null;
}

// The pieces of the text in order: {node, start, length (code points), hidden (markup)}. Built once per container:
// the reader's text is never rewritten after the page loads (claims are painted over it, not into it).
const indexes = new WeakMap();

export function pieceIndex(container) {
  let index = indexes.get(container);
  if (index) return index;
  const pieces = [];
  const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const start = pieceStart(node);
    if (start === null) continue;
    pieces.push({ node, start, length: codePointLength(node.data), hidden: Boolean(node.parentElement.closest(".mk")) });
  }
  index = { pieces, starts: pieces.map((p) => p.start) };
  indexes.set(container, index);
  return index;
}

// The index of the piece holding code point `offset` (the last piece starting at or before it).
function pieceAt(index, offset) {
  let lo = 0;
  let hi = index.starts.length - 1;
  if (hi < 0) return -1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (index.starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

// The code-point length of the whole text.
export function textLength(container) {
  const { pieces } = pieceIndex(container);
  const last = pieces[pieces.length - 1];
  return last ? last.start + last.length : 0;
}

// The first text node at or after the boundary (node, offset), within container; null at the very end.
function textAfter(container, node, offset) {
  const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
  if (offset < node.childNodes.length) {
    const child = node.childNodes[offset];
    if (child.nodeType === Node.TEXT_NODE) return child;
    walker.currentNode = child;
    return walker.nextNode();
  }
  let last = node;
  while (last.lastChild) last = last.lastChild;
  walker.currentNode = last;
  return walker.nextNode();
}

// The code-point offset of a DOM boundary point inside the container.
export function boundaryToOffset(container, node, offset, isEnd = false) {
  if (node.nodeType === Node.TEXT_NODE) {
    const start = pieceStart(node);
    if (start !== null) return start + codePointsBefore(node.data, offset, isEnd);
    return null;
  }
  const next = textAfter(container, node, offset);
  if (!next) return textLength(container);
  return pieceStart(next);
}

// The code point at `offset` as a string ("" past the end).
function charAt(index, offset) {
  const piece = index.pieces[pieceAt(index, offset)];
  if (!piece || offset >= piece.start + piece.length) return "";
  const at = unitsBefore(piece.node.data, offset - piece.start);
  return String.fromCodePoint(piece.node.data.codePointAt(at));
}

// The verbatim text of code points [start, end).
export function textBetween(container, start, end) {
  const index = pieceIndex(container);
  let out = "";
  for (let i = Math.max(0, pieceAt(index, start)); i < index.pieces.length; i++) {
    const piece = index.pieces[i];
    if (piece.start >= end) break;
    const data = piece.node.data;
    const from = unitsBefore(data, Math.max(0, start - piece.start));
    const to = unitsBefore(data, Math.min(piece.length, end - piece.start));
    out += data.slice(from, to);
  }
  return out;
}

// Narrow [start, end) past hidden markup and white space at either edge: a selection that runs into the
// `**` after a bold word or the blank lines after a paragraph stores the words, not the markup around
// them. Markup inside the selection stays: the quote is always the verbatim text between the offsets.
export function trimToText(container, start, end) {
  const index = pieceIndex(container);
  while (start < end) {
    const piece = index.pieces[pieceAt(index, start)];
    if (piece && piece.hidden && start < piece.start + piece.length) start = piece.start + piece.length;
    else if (/^\s$/u.test(charAt(index, start))) start++;
    else break;
  }
  while (end > start) {
    const piece = index.pieces[pieceAt(index, end - 1)];
    if (piece && piece.hidden && end - 1 < piece.start + piece.length) end = piece.start;
    else if (/^\s$/u.test(charAt(index, end - 1))) end--;
    else break;
  }
  return [start, end];
}

// {start, end, exact} in code points for a DOM range, clamped to the container and trimmed of hidden
// markup and white space at its edges; null when it holds no text of the paper.
export function rangeToTarget(container, range) {
  if (!range || range.collapsed || !range.intersectsNode(container)) return null;
  const clamped = range.cloneRange();
  const whole = document.createRange();
  whole.selectNodeContents(container);
  if (clamped.compareBoundaryPoints(Range.START_TO_START, whole) < 0) clamped.setStart(whole.startContainer, 0);
  if (clamped.compareBoundaryPoints(Range.END_TO_END, whole) > 0) {
    clamped.setEnd(whole.endContainer, whole.endOffset);
  }
  const from = boundaryToOffset(container, clamped.startContainer, clamped.startOffset, false);
  const to = boundaryToOffset(container, clamped.endContainer, clamped.endOffset, true);
  if (from === null || to === null) return null;
  const [start, end] = trimToText(container, from, to);
  if (end <= start) return null;
  const exact = textBetween(container, start, end);
  return exact ? { start, end, exact } : null;
}

// A DOM boundary for code point `offset`: in the piece holding it (for an end, the piece it closes).
function boundaryAt(index, offset, isEnd) {
  let i = pieceAt(index, isEnd ? offset - 1 : offset);
  if (i < 0) return null;
  let piece = index.pieces[i];
  if (!isEnd && offset >= piece.start + piece.length) {
    piece = index.pieces[++i];
    if (!piece) return null;
  }
  const within = Math.min(Math.max(offset - piece.start, 0), piece.length);
  return [piece.node, unitsBefore(piece.node.data, within)];
}

// A DOM range for code points [start, end): the inverse of rangeToTarget, for painting and scrolling.
export function offsetsToRange(container, start, end) {
  const index = pieceIndex(container);
  if (!(start < end)) return null;
  const from = boundaryAt(index, start, false);
  const to = boundaryAt(index, end, true);
  if (!from || !to) return null;
  const range = document.createRange();
  range.setStart(...from);
  range.setEnd(...to);
  return range;
}

// The code point under the viewport point (x, y), or null when the point is not on a character of the text.
export function offsetAtPoint(container, x, y) {
  let node;
  let offset;
  if (document.caretPositionFromPoint) {
    const caret = document.caretPositionFromPoint(x, y);
    if (caret) [node, offset] = [caret.offsetNode, caret.offset];
  } else if (document.caretRangeFromPoint) {
    const caret = document.caretRangeFromPoint(x, y);
    if (caret) [node, offset] = [caret.startContainer, caret.startOffset];
  }
  if (!node || node.nodeType !== Node.TEXT_NODE || !container.contains(node)) return null;
  const at = boundaryToOffset(container, node, offset);
  if (at === null) return null;
  // The caret sits between two characters: the one under the point is either side of it.
  for (const candidate of [at, at - 1]) {
    const range = candidate >= 0 ? offsetsToRange(container, candidate, candidate + 1) : null;
    if (!range) continue;
    for (const r of range.getClientRects()) {
      if (x >= r.left - 1 && x <= r.right + 1 && y >= r.top - 1 && y <= r.bottom + 1) return candidate;
    }
  }
  return null;
}
