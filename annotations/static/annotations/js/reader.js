// The reader: highlights drawn by the server, selection → claim form, highlight → claim popover,
// and the claims panel kept in step with the text.

import { ClaimForm } from "./claim_form.js";
import { h } from "./dom.js";
import { errorText, pageUrl, request } from "./http.js";
import { rangeToTarget } from "./offsets.js";
import { ClaimPopover } from "./popover.js";

const data = JSON.parse(document.getElementById("reader-data").textContent);
const text = document.querySelector("[data-paper-text]");
const panel = document.querySelector("[data-claims-list]");
const count = document.querySelector("[data-claims-count]");
const flash = document.querySelector("[data-flash]");
const formEl = document.querySelector("[data-claim-form]");
const popoverEl = document.querySelector("[data-claim-popover]");
// The addresses this page talks to, put on it by the template (Django's {% url %}).
const page = document.querySelector("[data-reader]");
const urls = {
  claims: pageUrl(page, "apiClaims"),
  links: pageUrl(page, "apiLinks"),
  text: pageUrl(page, "textUrl"),
  // The paper's project: the lists this page asks for (claims to link to, a claim's links) are that project's.
  project: page.dataset.project,
  readerOf: (paper, claimId) => `${pageUrl(page, "readerUrl", { paper })}#claim-${claimId}`,
};
let activeId = null;

// Tag colours come from the codebook; rules go in through CSSOM, which a strict CSP allows.
function installColours() {
  const sheet = new CSSStyleSheet();
  const rules = [];
  for (const tag of data.tags) {
    if (!/^#[0-9a-fA-F]{6}$/.test(tag.colour) || !/^[-a-zA-Z0-9_]+$/.test(tag.slug)) continue;
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(tag.colour.slice(i, i + 2), 16));
    rules.push(`[data-paper-text][data-colour="tag"] span[data-tag="${tag.slug}"] { background-color: rgb(${r} ${g} ${b} / 0.28); }`);
    rules.push(`.tag-chip[data-tag="${tag.slug}"] { border-color: ${tag.colour}; background-color: rgb(${r} ${g} ${b} / 0.15); }`);
  }
  sheet.replaceSync(rules.join("\n"));
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}

function say(message) {
  flash.textContent = message;
  flash.hidden = false;
  clearTimeout(say.timer);
  say.timer = setTimeout(() => {
    flash.hidden = true;
  }, 3000);
}

function marksOf(id) {
  return text.querySelectorAll(`mark[data-claim-id="${CSS.escape(id)}"]`);
}

function panelItem(id) {
  return panel.querySelector(`li[data-claim-id="${CSS.escape(id)}"]`);
}

function statementOf(id) {
  const item = panelItem(id);
  return item ? item.querySelector(".statement").textContent : id;
}

function activate(id) {
  for (const el of document.querySelectorAll(".is-active")) el.classList.remove("is-active");
  activeId = id;
  if (!id) return;
  for (const mark of marksOf(id)) mark.classList.add("is-active");
  const item = panelItem(id);
  if (item) item.classList.add("is-active");
}

// Text → panel: clicking a highlight brings its claim into view in the panel.
function scrollPanelTo(id) {
  const item = panelItem(id);
  if (item) item.scrollIntoView({ block: "nearest", behavior: "smooth" });
}

// Panel → text.
function scrollTextTo(id) {
  const first = marksOf(id)[0];
  if (first) first.scrollIntoView({ block: "center", behavior: "smooth" });
  return first;
}

// Draw the text and the panel again from the server; with a range, only the paragraphs under it
// (a long paper with thousands of marks need not be rebuilt for one claim).
async function refresh(range = null) {
  const query = range ? `?start=${range.start}&end=${range.end}` : "";
  let html;
  try {
    html = await request("GET", `${urls.text}${query}`, { as: "text" });
  } catch (error) {
    say(`Could not refresh the text (${errorText(error)}); reload the page.`);
    return;
  }
  // A <template> parses without running or loading anything.
  const template = document.createElement("template");
  template.innerHTML = html;
  const fragment = template.content;
  const drawn = fragment.querySelector('[data-fragment="text"]');
  if (drawn.hasAttribute("data-partial")) {
    for (const para of [...drawn.children]) {
      const old = text.querySelector(`:scope > p[data-start="${para.dataset.start}"]`);
      if (!old) return refresh(); // the page is out of step with the server: draw it all
      old.replaceWith(para);
    }
  } else {
    text.replaceChildren(...drawn.childNodes);
  }
  panel.replaceChildren(...fragment.querySelector('[data-fragment="claims"]').childNodes);
  count.textContent = fragment.querySelector('[data-fragment="count"]').textContent;
  if (activeId) activate(activeId);
}

const popover = new ClaimPopover(popoverEl, {
  data,
  urls,
  form: null,
  onChanged: async (message, range) => {
    activate(null);
    await refresh(range);
    say(message);
  },
});

let form = null;
if (formEl) {
  form = new ClaimForm(formEl, {
    paper: data.paper,
    tags: data.tags,
    claimsUrl: urls.claims,
    onSaved: async (claim, created) => {
      window.getSelection().removeAllRanges();
      const speakers = document.getElementById("speaker-suggestions");
      if (claim.speaker && ![...speakers.options].some((o) => o.value === claim.speaker)) {
        speakers.append(h("option", { value: claim.speaker }));
      }
      await refresh(claim.target);
      activate(claim.id);
      scrollPanelTo(claim.id);
      say(created ? "Claim saved; it waits for moderation." : "Claim updated.");
    },
  });
  popover.form = form;
}

function annotateSelection({ focus = true } = {}) {
  if (!form) return false;
  const selection = window.getSelection();
  if (!selection.rangeCount) return false;
  const range = selection.getRangeAt(0);
  const target = rangeToTarget(text, range);
  if (!target) return false;
  popover.close();
  form.openForCreate(target, range.getBoundingClientRect(), { focus });
  return true;
}

// A selection made otherwise than by the mouse (by a script, or by keyboard) opens the form once it has
// rested a moment; the form then leaves the focus where it is, so a keyboard selection can go on.
let mouseDown = false;
let restTimer = null;
document.addEventListener("mousedown", () => {
  mouseDown = true;
});
document.addEventListener("mouseup", () => {
  mouseDown = false;
});
document.addEventListener("selectionchange", () => {
  clearTimeout(restTimer);
  if (!form || mouseDown) return;
  restTimer = setTimeout(() => {
    const selection = window.getSelection();
    if (mouseDown || !selection.rangeCount || selection.isCollapsed) return;
    if (!selection.getRangeAt(0).intersectsNode(text)) return;
    annotateSelection({ focus: false });
  }, 400);
});

function coveringIds(mark) {
  const ids = [];
  for (let el = mark; el && el !== text; el = el.parentElement) {
    if (el.tagName === "MARK" && el.dataset.claimId) ids.unshift(el.dataset.claimId);
  }
  return ids;
}

function showClaim(id, rect) {
  activate(id);
  popover.show(id, rect);
}

text.addEventListener("mouseup", () => {
  // Let the browser settle the selection first.
  setTimeout(() => {
    const selection = window.getSelection();
    if (selection.rangeCount && !selection.isCollapsed) annotateSelection();
  }, 0);
});

text.addEventListener("click", (event) => {
  const mark = event.target.closest("mark[data-claim-id]");
  if (!mark) return;
  // A click inside a selection collapses it only after this event: look once it has settled.
  setTimeout(() => {
    if (!window.getSelection().isCollapsed) return; // the end of a drag: a selection, not a click
    const ids = coveringIds(mark);
    const rect = mark.getBoundingClientRect();
    if (form) form.close();
    if (ids.length === 1) showClaim(ids[0], rect);
    else popover.showChoice(ids, rect, statementOf);
    scrollPanelTo(ids[ids.length - 1]);
  }, 0);
});

function openFromPanel(item) {
  const id = item.dataset.claimId;
  const first = scrollTextTo(id);
  activate(id);
  if (form) form.close();
  popover.show(id, (first || item).getBoundingClientRect());
}

panel.addEventListener("click", (event) => {
  const item = event.target.closest("li[data-claim-id]");
  if (item) openFromPanel(item);
});
panel.addEventListener("keydown", (event) => {
  const item = event.target.closest("li[data-claim-id]");
  if (item && (event.key === "Enter" || event.key === " ")) {
    event.preventDefault();
    openFromPanel(item);
  }
});

const annotateButton = document.querySelector("[data-annotate-selection]");
if (annotateButton) {
  // mousedown would clear the selection before click: keep it.
  annotateButton.addEventListener("mousedown", (event) => event.preventDefault());
  annotateButton.addEventListener("click", () => {
    if (!annotateSelection()) say("Select a passage of the text first.");
  });
}

document.addEventListener("keydown", (event) => {
  const typing = event.target.closest("input, textarea, select, [contenteditable]");
  if (event.key === "Escape") {
    if (form && form.open) form.close();
    else if (popover.open) popover.close();
    return;
  }
  if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.key === "a" || event.key === "A") {
    if (annotateSelection()) event.preventDefault();
  }
});

// Clicking elsewhere closes the popover (not the form: a stray click must not lose typing).
document.addEventListener("mousedown", (event) => {
  if (popover.open && !popoverEl.contains(event.target) && !event.target.closest("mark, [data-claims-list]")) {
    popover.close();
  }
});

const colourBy = document.querySelector("[data-colour-by]");
colourBy.value = localStorage.getItem("sco-claims:colour-by") || "tag";
text.dataset.colour = colourBy.value;
colourBy.addEventListener("change", () => {
  text.dataset.colour = colourBy.value;
  localStorage.setItem("sco-claims:colour-by", colourBy.value);
  drawLegend();
});

function drawLegend() {
  const legend = document.querySelector("[data-legend]");
  if (text.dataset.colour === "stance") {
    legend.replaceChildren(
      ...["affirms", "denies", "qualifies"].map((s) => h("span", { class: "stance", dataset: { stance: s } }, s)),
    );
  } else {
    const used = new Set([...text.querySelectorAll("span[data-tag]")].map((m) => m.dataset.tag));
    legend.replaceChildren(
      ...data.tags.filter((t) => used.has(t.slug)).map((t) => h("span", { class: "tag-chip", dataset: { tag: t.slug }, title: t.name }, t.slug)),
    );
  }
}

// #claim-<id>: arrive at a claim from a link (or another paper) and open it.
function openFromHash() {
  const match = /^#claim-([0-9a-fA-F-]{32,36})$/.exec(window.location.hash);
  if (!match) return;
  const id = match[1];
  const first = scrollTextTo(id);
  if (!first && !panelItem(id)) {
    say("That claim is not shown on this paper (it may not be visible to you).");
    return;
  }
  activate(id);
  scrollPanelTo(id);
  popover.show(id, (first || panelItem(id)).getBoundingClientRect());
}
window.addEventListener("hashchange", openFromHash);

installColours();
drawLegend();
openFromHash();
// Highlights are in the server's HTML; this marks when the page is fully wired and painted.
requestAnimationFrame(() =>
  requestAnimationFrame(() => {
    performance.mark("highlights-painted");
    document.body.dataset.readerReady = "true";
  }),
);
