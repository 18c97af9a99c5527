// The table of contents: the headings the server's formatting marks (`.md-h`, with the Markdown level in `md-hN`
// and the heading's first code point in `data-at`), each a button that scrolls to its heading and puts the reading
// cursor on its words. draw() fills it (the page calls it once the text is painted).

import { h } from "./dom.js";

// A heading's words as seen: its text without the hidden markup, an entity's character in its place.
export function headingTitle(heading) {
  let title = "";
  const walker = document.createTreeWalker(heading, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (node.nodeType === Node.TEXT_NODE) {
      if (!node.parentElement.closest(".mk")) title += node.data;
    } else if (node.classList.contains("md-char")) {
      title += node.dataset.char || "";
    }
  }
  return title.replace(/\s+/g, " ").trim();
}

// [{level, title, element}] of the text's headings, in reading order.
export function headingsOf(text) {
  return [...text.querySelectorAll(".md-h[data-at]")]
    .map((element) => ({
      level: Number(/\bmd-h(\d)\b/.exec(element.className)?.[1] || 1),
      title: headingTitle(element),
      element,
    }))
    .filter((heading) => heading.title);
}

// The range of a heading's words (from its first shown piece to the end of its last).
function wordsOf(element) {
  const pieces = [...element.querySelectorAll("[data-start]:not(.mk)")].filter((piece) => piece.firstChild?.data.trim());
  if (!pieces.length) return null;
  const range = document.createRange();
  range.setStart(pieces[0].firstChild, 0);
  const last = pieces[pieces.length - 1].firstChild;
  range.setEnd(last, last.data.length);
  return range;
}

export function installToc(text, before, { onGo } = {}) {
  const list = h("ol", { class: "toc-list" });
  const nav = h(
    "nav",
    { class: "toc", "aria-label": "Contents of the paper", "data-toc": true, hidden: true },
    h("details", { open: true }, h("summary", {}, "Contents"), list),
  );
  before.before(nav);

  function draw() {
    const headings = headingsOf(text);
    const top = Math.min(...headings.map((x) => x.level));
    list.replaceChildren(
      ...headings.map((heading, i) =>
        h(
          "li",
          { dataset: { level: String(heading.level - top + 1) } },
          h("button", { type: "button", class: "link", dataset: { tocEntry: String(i), at: heading.element.dataset.at }, onclick: () => go(heading) }, heading.title),
        ),
      ),
    );
    nav.hidden = !headings.length;
  }

  function go(heading) {
    const range = wordsOf(heading.element);
    const rect = (range || heading.element).getBoundingClientRect();
    window.scrollBy({ top: rect.top - 16, behavior: "instant" });
    if (range && onGo) onGo(range);
  }

  return { nav, draw };
}
