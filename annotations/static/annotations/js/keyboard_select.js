// The text by keyboard. The text takes the focus (Tab); a reading cursor starts at the first line in view.
// → and ← move it by word, ↓ and ↑ by sentence; with Shift they extend the selection instead, which the page then
// offers to annotate (A or Enter opens the claim form on it). Enter on the cursor opens the claim(s) under it;
// ] and [ open the next and previous claim of the panel. Optional: a mouse selection snaps to whole words.

import { h } from "./dom.js";
import {
  nextSentenceEnd,
  nextWordEnd,
  previousSentenceStart,
  previousWordStart,
  snapToWords,
  textIndex,
} from "./text_index.js";

const canPaint = typeof CSS !== "undefined" && "highlights" in CSS && typeof Highlight === "function";
const SNAP_KEY = "sco-claims:snap-to-words";

export function installKeyboard(text, { panel, popoverEl, annotate, toolbar }) {
  text.tabIndex = 0;
  text.setAttribute("role", "region");
  text.setAttribute("aria-label", "Text of the paper");
  const help = h(
    "p",
    { id: "text-keys", class: "visually-hidden" },
    "Arrow keys move a reading cursor by word (left and right) and by sentence (up and down); with Shift they select. " +
      "A or Enter on a selection makes a claim. Enter on the cursor opens the claim there. ] and [ open the next and previous claim.",
  );
  text.after(help);
  text.setAttribute("aria-describedby", "text-keys");

  // The text as seen (with its markup when "Show source" shows it).
  const idx = () => textIndex(text, { visibleOnly: true });

  // The selection as [anchor, focus] indices, when it lies in the text.
  function current() {
    const selection = window.getSelection();
    if (!selection.rangeCount || !text.contains(selection.anchorNode) || !text.contains(selection.focusNode)) return null;
    return [idx().indexOf(selection.anchorNode, selection.anchorOffset), idx().indexOf(selection.focusNode, selection.focusOffset)];
  }

  function firstInView() {
    const box = text.getBoundingClientRect();
    const y = Math.max(box.top, 0) + 24;
    const x = box.left + 40;
    const caret = document.caretRangeFromPoint ? document.caretRangeFromPoint(x, y) : null;
    if (caret && text.contains(caret.startContainer)) return idx().indexOf(caret.startContainer, caret.startOffset);
    return 0;
  }

  function paintCursor(at) {
    if (!canPaint) return;
    CSS.highlights.delete("reading-cursor");
    if (at === null) return;
    const t = idx().text;
    const end = Math.max(nextWordEnd(t, at), Math.min(at + 1, t.length));
    const range = idx().range(at, end);
    if (range) CSS.highlights.set("reading-cursor", new Highlight(range));
  }

  function select(anchor, focus) {
    const a = idx().locate(anchor, false);
    const f = idx().locate(focus, focus > anchor);
    if (!a || !f) return;
    const selection = window.getSelection();
    selection.setBaseAndExtent(a[0], a[1], f[0], f[1]);
    paintCursor(anchor === focus ? focus : null);
    text.dataset.cursor = String(focus);
    const rect = idx().range(Math.min(focus, idx().text.length - 1), Math.min(focus + 1, idx().text.length))?.getBoundingClientRect();
    if (rect && (rect.top < 0 || rect.bottom > window.innerHeight)) window.scrollBy({ top: rect.top - window.innerHeight / 3, behavior: "instant" });
  }

  function moveTo(at) {
    select(at, at);
  }

  // Only a keyboard focus places the cursor: a click places it (or selects) itself.
  text.addEventListener("focus", () => {
    if (!current() && text.matches(":focus-visible")) moveTo(firstInView());
  });
  text.addEventListener("blur", () => paintCursor(null));

  const MOVES = {
    ArrowRight: (t, i) => nextWordEnd(t, i),
    ArrowLeft: (t, i) => previousWordStart(t, i),
    ArrowDown: (t, i) => nextSentenceEnd(t, i),
    ArrowUp: (t, i) => previousSentenceStart(t, i),
  };

  text.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.target !== text) return;
    const move = MOVES[event.key];
    const now = current() || [firstInView(), firstInView()];
    if (move) {
      event.preventDefault();
      const to = move(idx().text, now[1]);
      if (event.shiftKey) select(now[0], to);
      else moveTo(to);
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (now[0] !== now[1]) annotate();
      else openAt(now[1]);
    }
  });

  // Enter on the cursor: the page's own click on that place, so the claims under it open as with a mouse.
  function openAt(at) {
    const range = idx().range(at, Math.min(at + 1, idx().text.length));
    if (!range) return;
    const rect = range.getBoundingClientRect();
    const x = rect.left + Math.min(2, rect.width / 2);
    const y = rect.top + rect.height / 2;
    const target = document.elementFromPoint(x, y);
    if (!target || !text.contains(target)) return;
    target.dispatchEvent(new MouseEvent("click", { bubbles: true, clientX: x, clientY: y, view: window }));
    returnTo = text;
    focusPopoverWhenShown();
  }

  // A claim opened from the keyboard takes the focus into its popover; Esc there comes back to where it was.
  let returnTo = null;
  function focusPopoverWhenShown() {
    const done = () => {
      const first = popoverEl.querySelector(".choices button, [data-edit], button:not(.close)");
      if (popoverEl.hidden || !popoverEl.querySelector(".statement, .choices")) return false;
      popoverEl.tabIndex = -1;
      (first || popoverEl).focus({ preventScroll: true });
      return true;
    };
    if (done()) return;
    const watch = new MutationObserver(() => {
      if (done()) watch.disconnect();
    });
    watch.observe(popoverEl, { childList: true, subtree: true, attributes: true, attributeFilter: ["hidden"] });
    setTimeout(() => watch.disconnect(), 5000);
  }

  document.addEventListener(
    "keydown",
    (event) => {
      if (event.key !== "Escape" || !returnTo || !popoverEl.contains(document.activeElement)) return;
      const back = returnTo;
      // Only if this Esc closed the popover: an Esc inside it may close a list first ("Link to…").
      setTimeout(() => {
        if (!popoverEl.hidden) return;
        returnTo = null;
        back.focus({ preventScroll: true });
      }, 0);
    },
    true,
  );

  // ] and [: the next and previous claim of the panel (those the filter shows), from the open one or the cursor.
  document.addEventListener("keydown", (event) => {
    if ((event.key !== "]" && event.key !== "[") || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.closest("input, textarea, select, [contenteditable]")) return;
    const items = [...panel.querySelectorAll("li[data-claim-id]:not([hidden])")];
    if (!items.length) return;
    event.preventDefault();
    const forward = event.key === "]";
    let at = items.findIndex((item) => item.classList.contains("is-active"));
    if (at < 0) {
      const cursor = Number(text.dataset.cursor || 0);
      const after = items.findIndex((item) => Number(item.dataset.start || 0) >= cursor);
      at = forward ? (after < 0 ? items.length : after) - 1 : after < 0 ? items.length : after;
    }
    const next = items[(at + (forward ? 1 : -1) + items.length) % items.length];
    const from = document.activeElement;
    if (!popoverEl.contains(from)) returnTo = from && from !== document.body ? from : text;
    next.click();
    focusPopoverWhenShown();
  });

  // Snapping a mouse selection to whole words, if chosen. A capturing listener runs before the page's own
  // mouseup handler, and its timer before the page's: the form opens on the snapped selection.
  const snap = h("input", { type: "checkbox", "data-snap-words": true });
  snap.checked = localStorage.getItem(SNAP_KEY) === "1";
  snap.addEventListener("change", () => localStorage.setItem(SNAP_KEY, snap.checked ? "1" : "0"));
  toolbar.append(h("label", { class: "snap", title: "Widen a selection to whole words" }, snap, " Snap to words"));
  document.addEventListener(
    "mouseup",
    (event) => {
      if (!snap.checked || !text.contains(event.target)) return;
      setTimeout(() => {
        const now = current();
        if (!now || now[0] === now[1]) return;
        const [from, to] = snapToWords(idx().text, Math.min(...now), Math.max(...now));
        const range = idx().range(from, to);
        if (!range) return;
        window.getSelection().removeAllRanges();
        window.getSelection().addRange(range);
      }, 0);
    },
    true,
  );
}
