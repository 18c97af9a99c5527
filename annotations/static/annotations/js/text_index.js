// The reader's text as one string over its pieces (offsets.js's pieceIndex: the one walk of the text), with the way
// back from an index in that string to a DOM position. Find, word snapping and keyboard selection work on it, so
// none depends on how the text is split into elements. Indices are UTF-16 units of the string. With `visibleOnly`
// the string is the text as seen: without the hidden markup (`## `, `**`), unless "Show source" shows it.

import { pieceIndex } from "./offsets.js";

// Whether the markup pieces (`.mk`) are shown now: the page hides them unless "Show source" is ticked.
function markupShown(pieces) {
  const markup = pieces.find((piece) => piece.hidden);
  if (!markup) return true;
  const el = markup.node.parentElement;
  // checkVisibility: Chromium 105, Firefox 106, Safari 17.4; without it the markup counts as hidden.
  return typeof el.checkVisibility === "function" ? el.checkVisibility() : false;
}

export class TextIndex {
  // withMarkup: false leaves the markup pieces out of the string.
  constructor(container, { withMarkup = true } = {}) {
    this.container = container;
    this.nodes = [];
    this.starts = [];
    this.where = new Map();
    const parts = [];
    let length = 0;
    for (const piece of pieceIndex(container).pieces) {
      if (piece.hidden && !withMarkup) continue;
      this.nodes.push(piece.node);
      this.starts.push(length);
      this.where.set(piece.node, length);
      parts.push(piece.node.data);
      length += piece.node.data.length;
    }
    this.text = parts.join("");
  }

  // The node holding index i: for a start, the node where i is a character; for an end, where i closes one.
  locate(i, isEnd = false) {
    let lo = 0;
    let hi = this.nodes.length - 1;
    if (hi < 0) return null;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] < i || (!isEnd && this.starts[mid] === i)) lo = mid;
      else hi = mid - 1;
    }
    const node = this.nodes[lo];
    return [node, Math.max(0, Math.min(node.data.length, i - this.starts[lo]))];
  }

  range(from, to) {
    const start = this.locate(from, false);
    const end = this.locate(to, true);
    if (!start || !end) return null;
    const range = document.createRange();
    range.setStart(...start);
    range.setEnd(...end);
    return range;
  }

  // The index of a DOM boundary point: exact in an indexed text node, else that of the next indexed node.
  indexOf(node, offset) {
    if (this.where.has(node)) return this.where.get(node) + offset;
    const point = document.createRange();
    point.setStart(node, offset);
    for (let i = 0; i < this.nodes.length; i++) {
      if (point.comparePoint(this.nodes[i], 0) >= 0) return this.starts[i];
    }
    return this.text.length;
  }
}

// The index of `container`'s text (the text as seen, with `visibleOnly`), made once per state of "Show source".
const indexes = new WeakMap();

export function textIndex(container, { visibleOnly = false } = {}) {
  const { pieces } = pieceIndex(container);
  const withMarkup = !visibleOnly || markupShown(pieces);
  let made = indexes.get(container);
  if (!made || made.pieces !== pieces) indexes.set(container, (made = { pieces }));
  const key = withMarkup ? "all" : "seen";
  if (!made[key]) made[key] = new TextIndex(container, { withMarkup });
  return made[key];
}

// Word characters: letters, digits and marks; an apostrophe or hyphen between two of them stays in the word.
const WORD = /[\p{L}\p{N}\p{M}]/u;

export function isWordAt(text, i) {
  if (i < 0 || i >= text.length) return false;
  if (WORD.test(text[i])) return true;
  return /['’\-]/.test(text[i]) && WORD.test(text[i - 1] || "") && WORD.test(text[i + 1] || "");
}

// [start, end) widened to whole words at both ends (a boundary inside a word moves out of it).
export function snapToWords(text, start, end) {
  let s = start;
  let e = end;
  while (s > 0 && isWordAt(text, s - 1) && isWordAt(text, s)) s--;
  while (e < text.length && isWordAt(text, e - 1) && isWordAt(text, e)) e++;
  return [s, e];
}

// The end of the next word after i, and the start of the word before i.
export function nextWordEnd(text, i) {
  let j = i;
  while (j < text.length && !isWordAt(text, j)) j++;
  while (j < text.length && isWordAt(text, j)) j++;
  return j;
}

export function previousWordStart(text, i) {
  let j = i;
  while (j > 0 && !isWordAt(text, j - 1)) j--;
  while (j > 0 && isWordAt(text, j - 1)) j--;
  return j;
}

// Sentence ends: . ! ? (then closing quotes or brackets) before white space, or a blank line.
const SENTENCE_END = /[.!?]['"’”)\]]*(?=\s)|\n\s*\n/g;

export function nextSentenceEnd(text, i) {
  SENTENCE_END.lastIndex = i;
  let match;
  while ((match = SENTENCE_END.exec(text))) {
    const end = match[0].startsWith("\n") ? match.index : match.index + match[0].length;
    if (end > i) return end;
    SENTENCE_END.lastIndex = match.index + 1;
  }
  return text.length;
}

export function previousSentenceStart(text, i) {
  let start = 0;
  SENTENCE_END.lastIndex = 0;
  let match;
  while ((match = SENTENCE_END.exec(text))) {
    let after = match.index + match[0].length;
    while (after < text.length && /\s/.test(text[after])) after++;
    if (after >= i) break;
    start = after;
  }
  return start;
}
