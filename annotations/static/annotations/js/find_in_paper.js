// Find in the paper: every hit painted with the CSS Custom Highlight API under its own names (find-hit,
// find-current), so it neither splits the text's DOM nor depends on how claims are drawn. "/" opens it
// (Ctrl/⌘+F stays the browser's); Enter and Shift+Enter go to the next and previous hit; Esc leaves it.

import { h } from "./dom.js";
import { textIndex } from "./text_index.js";

const canPaint = typeof CSS !== "undefined" && "highlights" in CSS && typeof Highlight === "function";

function pattern(query) {
  // White space in the query matches any run of it: the verbatim text breaks lines where the eye sees spaces.
  const words = query.trim().split(/\s+/).filter(Boolean);
  if (!words.length) return null;
  const escaped = words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(escaped.join("\\s+"), "giu");
}

export function installFind(text, toolbar, { onLeave } = {}) {
  const input = h("input", { type: "search", "data-find-input": true, placeholder: "Find in paper", "aria-describedby": "find-keys", size: 18 });
  const count = h("span", { class: "find-count", "data-find-count": true, role: "status", "aria-live": "polite" }, "");
  const prev = h("button", { type: "button", "data-find-prev": true, "aria-label": "Previous match", title: "Previous match (Shift+Enter)" }, "↑");
  const next = h("button", { type: "button", "data-find-next": true, "aria-label": "Next match", title: "Next match (Enter)" }, "↓");
  const box = h(
    "div",
    { class: "find", role: "search", "data-find": true },
    h("label", {}, h("span", { class: "visually-hidden" }, "Find in paper"), input),
    prev,
    next,
    count,
    h("span", { id: "find-keys", class: "visually-hidden" }, "Press slash to come here. Enter: next match; Shift+Enter: previous; Escape: back to the text."),
  );
  toolbar.append(box);

  let hits = [];
  let current = -1;
  let searched = "";

  function paint() {
    if (!canPaint) return;
    CSS.highlights.delete("find-hit");
    CSS.highlights.delete("find-current");
    if (!hits.length) return;
    const all = new Highlight(...hits);
    all.priority = 10;
    CSS.highlights.set("find-hit", all);
    if (current >= 0) {
      const one = new Highlight(hits[current]);
      one.priority = 11;
      CSS.highlights.set("find-current", one);
    }
  }

  function show(scroll = true) {
    const query = input.value.trim();
    count.textContent = !query ? "" : hits.length ? `${current + 1} of ${hits.length}` : "no match";
    box.dataset.hits = String(hits.length);
    box.dataset.current = String(current + 1);
    paint();
    if (scroll && current >= 0) {
      const rect = hits[current].getBoundingClientRect();
      if (rect.top < 80 || rect.bottom > window.innerHeight - 40) {
        window.scrollBy({ top: rect.top - window.innerHeight / 3, behavior: "instant" });
      }
    }
  }

  function search({ keepPlace = false } = {}) {
    searched = input.value;
    const re = pattern(searched);
    const before = keepPlace && current >= 0 ? current : 0;
    hits = [];
    current = -1;
    if (re) {
      const index = textIndex(text, { visibleOnly: true });
      for (const match of index.text.matchAll(re)) {
        const range = index.range(match.index, match.index + match[0].length);
        if (range) hits.push(range);
      }
      if (hits.length) current = Math.min(before, hits.length - 1);
    }
    show(!keepPlace);
  }

  function step(delta) {
    if (!hits.length) search();
    if (!hits.length) return;
    current = (current + delta + hits.length) % hits.length;
    show();
  }

  let timer = null;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => search(), 120);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      clearTimeout(timer);
      if (input.value !== searched) search();
      else step(event.shiftKey ? -1 : 1);
    } else if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      if (onLeave) onLeave(current >= 0 ? hits[current] : null);
    }
  });
  prev.addEventListener("click", () => step(-1));
  next.addEventListener("click", () => step(1));

  document.addEventListener("keydown", (event) => {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.closest("input, textarea, select, [contenteditable]")) return;
    event.preventDefault();
    input.focus();
    input.select();
  });
  return { input, search, step };
}
