// Map DOM selections to code points of the paper's verbatim text.
// The DOM counts UTF-16 units (a character outside the BMP is two); the server counts code points.
// Every piece of text in the reader sits directly in an element whose data-start is its code-point
// offset, so a boundary maps to code points by looking at its own piece only.

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

function lastTextNode(node) {
  let last = node;
  while (last.lastChild) last = last.lastChild;
  return last.nodeType === Node.TEXT_NODE ? last : null;
}

// The code-point length of the whole text.
export function textLength(container) {
  const last = lastTextNode(container);
  if (!last) return 0;
  return pieceStart(last) + codePointLength(last.data);
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

// {start, end, exact} in code points for a DOM range, clamped to the container and trimmed of
// surrounding white space; null when it holds no text of the paper.
export function rangeToTarget(container, range) {
  if (!range || range.collapsed || !range.intersectsNode(container)) return null;
  const clamped = range.cloneRange();
  const whole = document.createRange();
  whole.selectNodeContents(container);
  if (clamped.compareBoundaryPoints(Range.START_TO_START, whole) < 0) clamped.setStart(whole.startContainer, 0);
  if (clamped.compareBoundaryPoints(Range.END_TO_END, whole) > 0) {
    clamped.setEnd(whole.endContainer, whole.endOffset);
  }
  let start = boundaryToOffset(container, clamped.startContainer, clamped.startOffset, false);
  let end = boundaryToOffset(container, clamped.endContainer, clamped.endOffset, true);
  if (start === null || end === null) return null;
  // Range.toString() concatenates the text nodes, which hold the verbatim text and nothing else.
  let exact = clamped.toString();
  const lead = exact.match(/^\s*/)[0];
  const trail = exact.slice(lead.length).match(/\s*$/)[0];
  start += codePointLength(lead);
  end -= codePointLength(trail);
  exact = exact.slice(lead.length, exact.length - trail.length);
  if (!exact || end <= start) return null;
  return { start, end, exact };
}

// A DOM range for code points [start, end): the inverse of rangeToTarget, for scrolling and restoring.
export function offsetsToRange(container, start, end) {
  const range = document.createRange();
  const pieces = container.querySelectorAll("[data-start]:not(p)");
  let startSet = false;
  for (const piece of pieces) {
    const text = piece.firstChild;
    if (!text || text.nodeType !== Node.TEXT_NODE) continue;
    const from = Number(piece.dataset.start);
    const to = from + codePointLength(text.data);
    if (!startSet && start >= from && start < to) {
      range.setStart(text, unitsBefore(text.data, start - from));
      startSet = true;
    }
    if (startSet && end > from && end <= to) {
      range.setEnd(text, unitsBefore(text.data, end - from));
      return range;
    }
  }
  return null;
}
