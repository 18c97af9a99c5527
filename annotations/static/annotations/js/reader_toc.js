// The table of contents: the paper's Markdown headings ("#" to "######" at the start of a line of the verbatim
// text), read from the text nodes (which hold the verbatim text, shown or hidden), each a button that scrolls to
// its heading and puts the reading cursor there. draw() fills it (the page calls it once the text is painted).

import { h } from "./dom.js";
import { TextIndex } from "./text_index.js";

const HEADING = /^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$/gm;

// A heading's words without its inline markup: emphasis marks, HTML tags, the commonest entities.
export function headingTitle(raw) {
  return raw
    .replace(/<[^>]*>/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/(\*{1,3}|_{1,3})(\S(?:.*?\S)?)\1/g, "$2")
    .replace(/\s+/g, " ")
    .trim();
}

// [{level, title, from, to}] with from/to the UTF-16 span of the heading's words in `text`.
export function headingsOf(text) {
  const found = [];
  for (const match of text.matchAll(HEADING)) {
    const title = headingTitle(match[2]);
    if (!title) continue;
    const from = match.index + match[0].indexOf(match[2]);
    found.push({ level: match[1].length, title, from, to: from + match[2].length });
  }
  return found;
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
    const headings = headingsOf(new TextIndex(text).text);
    const top = Math.min(...headings.map((x) => x.level));
    list.replaceChildren(
      ...headings.map((heading, i) =>
        h(
          "li",
          { dataset: { level: String(heading.level - top + 1) } },
          h("button", { type: "button", class: "link", dataset: { tocEntry: String(i) }, onclick: () => go(heading) }, heading.title),
        ),
      ),
    );
    nav.hidden = !headings.length;
  }

  function go(heading) {
    // Found again at the moment of use: the text may have been drawn again since the list was made.
    const index = new TextIndex(text);
    const range = index.range(heading.from, heading.to);
    if (!range) return;
    const rect = range.getBoundingClientRect();
    window.scrollBy({ top: rect.top - 16, behavior: "instant" });
    if (onGo) onGo(range);
  }

  return { nav, draw };
}
