// #at-<start>-<end> (code points, end exclusive): arrive at a passage from the search page. The reader selects it
// and scrolls it to the middle of the window; a selection made by a script opens the claim form once it has rested
// (reader.js), and this puts the focus in that form's statement, so "make a claim here" is one keystroke away.
// Apart from reader.js on purpose: it only reads the page's text and sets the selection.

import { offsetsToRange, textLength } from "./offsets.js";

const text = document.querySelector("[data-paper-text]");
const formEl = document.querySelector("[data-claim-form]");

function parsed(hash) {
  const match = /^#at-(\d{1,9})-(\d{1,9})$/.exec(hash);
  if (!match) return null;
  const [start, end] = [Number(match[1]), Number(match[2])];
  return start < end && end <= textLength(text) ? [start, end] : null;
}

function focusWhenFormOpens() {
  if (!formEl) return;
  const focus = () => formEl.elements.statement.focus({ preventScroll: true });
  if (!formEl.hidden) return focus();
  const watcher = new MutationObserver(() => {
    if (formEl.hidden) return;
    watcher.disconnect();
    focus();
  });
  watcher.observe(formEl, { attributes: true, attributeFilter: ["hidden"] });
  // A passage the reader does not offer to annotate (a reader's role) never opens it: stop watching.
  setTimeout(() => watcher.disconnect(), 3000);
}

function selectFromHash() {
  const at = parsed(window.location.hash);
  if (!at) return;
  const range = offsetsToRange(text, ...at);
  if (!range) return;
  const first = range.getClientRects()[0] || range.getBoundingClientRect();
  window.scrollBy({ top: first.top - window.innerHeight / 2, behavior: "instant" });
  focusWhenFormOpens();
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
}

// After the reader has painted and listed (it marks the body), so the selection is not lost to its first paint.
function whenReady(callback) {
  if (document.body.dataset.readerReady === "true") return callback();
  const watcher = new MutationObserver(() => {
    if (document.body.dataset.readerReady !== "true") return;
    watcher.disconnect();
    callback();
  });
  watcher.observe(document.body, { attributes: true, attributeFilter: ["data-reader-ready"] });
}

whenReady(selectFromHash);
window.addEventListener("hashchange", selectFromHash);
