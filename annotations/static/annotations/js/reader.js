// The reader: the formatted text from the server, its claims painted as highlights (paint.js), selection →
// claim form, a click on a highlight → claim popover, and the claims panel kept in step with the text.

import { decodeClaims, pageClaims } from "./claims_data.js";
import { drawPanel } from "./claims_panel.js";
import { ClaimForm } from "./claim_form.js";
import { h } from "./dom.js";
import { errorText, pageUrl, request } from "./http.js";
import { offsetAtPoint, offsetsToRange, rangeToTarget } from "./offsets.js";
import { claimsAt, Painter, painted, rangeOf } from "./paint.js";
import { ClaimPopover } from "./popover.js";
import { installComfort } from "./reader_comfort.js";

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
  tags: pageUrl(page, "apiTags"),
  text: pageUrl(page, "textUrl"),
  // The paper's project: the lists this page asks for (claims to link to, a claim's links) are that project's.
  project: page.dataset.project,
  readerOf: (paper, claimId) => `${pageUrl(page, "readerUrl", { paper })}#claim-${claimId}`,
};
let activeId = null;
let claims = pageClaims();
const painter = new Painter(text, { colourBy: () => text.dataset.colour });

// Tag colours come from the codebook; rules go in through CSSOM, which a strict CSP allows.
function installColours() {
  const sheet = new CSSStyleSheet();
  const rules = [];
  for (const tag of data.tags) {
    if (!/^#[0-9a-fA-F]{6}$/.test(tag.colour) || !/^[-a-zA-Z0-9_]+$/.test(tag.slug)) continue;
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(tag.colour.slice(i, i + 2), 16));
    rules.push(`::highlight(tag-${tag.slug}) { background-color: rgb(${r} ${g} ${b} / 0.28); }`);
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

function panelItem(id) {
  return panel.querySelector(`li[data-claim-id="${CSS.escape(id)}"]`);
}

function statementOf(id) {
  const item = panelItem(id);
  return item ? item.querySelector(".statement").textContent : id;
}

function activate(id) {
  for (const el of panel.querySelectorAll(".is-active")) el.classList.remove("is-active");
  activeId = id;
  painter.setActive(id);
  if (!id) return;
  const item = panelItem(id);
  if (item) item.classList.add("is-active");
}

// Text → panel: clicking a highlight brings its claim into view in the panel.
function scrollPanelTo(id) {
  const item = panelItem(id);
  if (item) item.scrollIntoView({ block: "nearest", behavior: "smooth" });
}

// Panel → text: the claim's first line in the middle of the window; its rectangle, or null if not painted.
function scrollTextTo(id) {
  const range = rangeOf(id);
  if (!range) return null;
  const first = range.getClientRects()[0] || range.getBoundingClientRect();
  window.scrollBy({ top: first.top - window.innerHeight / 2, behavior: "instant" });
  return range.getClientRects()[0] || range.getBoundingClientRect();
}

function afterPaint(callback) {
  requestAnimationFrame(() => requestAnimationFrame(callback));
}

// The reading aids (reader_comfort.js), once installed after the first paint.
let comfort = null;

// True while draw() runs: the filter's answer is then painted with the claims, not on its own first.
let drawing = false;

// List the claims, apply the panel's filter again to the new list, then paint them once (the filter's dimming in).
function draw() {
  drawPanel(panel, claims, { canAnnotate: Boolean(form) });
  drawing = true;
  if (comfort) comfort.filter.refresh();
  drawing = false;
  painter.paint(claims.placed);
  drawLegend();
  count.textContent = String(claims.placed.length);
  if (activeId) activate(activeId);
}

// Fetch the claims again from the server and paint them: the text itself never changes with them.
async function refresh() {
  let answer;
  try {
    answer = await request("GET", urls.text);
  } catch (error) {
    say(`Could not refresh the claims (${errorText(error)}); reload the page.`);
    return;
  }
  claims = decodeClaims(answer.claims);
  draw();
}

const popover = new ClaimPopover(popoverEl, {
  data,
  urls,
  form: null,
  onChanged: async (message) => {
    activate(null);
    await refresh();
    say(message);
  },
});

let form = null;
if (formEl) {
  form = new ClaimForm(formEl, {
    paper: data.paper,
    tags: data.tags,
    claimsUrl: urls.claims,
    // A tag proposed from the form goes to the paper's project's codebook.
    tagsUrl: urls.project ? `${urls.tags}?project=${encodeURIComponent(urls.project)}` : urls.tags,
    onSaved: async (claim, created) => {
      window.getSelection().removeAllRanges();
      const speakers = document.getElementById("speaker-suggestions");
      if (claim.speaker && ![...speakers.options].some((o) => o.value === claim.speaker)) {
        speakers.append(h("option", { value: claim.speaker }));
      }
      await refresh();
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

// The claims under a viewport point, outermost first, and the rectangle of the character there.
function claimsUnder(x, y) {
  if (!painted.size) return null;
  const offset = offsetAtPoint(text, x, y);
  if (offset === null) return null;
  const found = claimsAt(offset);
  if (!found.length) return null;
  return { ids: found.map((c) => c.id), rect: offsetsToRange(text, offset, offset + 1).getBoundingClientRect() };
}

text.addEventListener("click", (event) => {
  const under = claimsUnder(event.clientX, event.clientY);
  if (!under) return;
  // A click inside a selection collapses it only after this event: look once it has settled.
  setTimeout(() => {
    if (!window.getSelection().isCollapsed) return; // the end of a drag: a selection, not a click
    const { ids, rect } = under;
    if (form) form.close();
    if (ids.length === 1) showClaim(ids[0], rect);
    else popover.showChoice(ids, rect, statementOf);
    scrollPanelTo(ids[ids.length - 1]);
  }, 0);
});

// The pointer says where a click opens a claim (highlights are not elements: a hit test, once a frame).
let hover = null;
text.addEventListener("mousemove", (event) => {
  if (hover !== null || !painted.size) return;
  hover = requestAnimationFrame(() => {
    hover = null;
    text.classList.toggle("over-claim", Boolean(claimsUnder(event.clientX, event.clientY)));
  });
});

function openFromPanel(item) {
  const id = item.dataset.claimId;
  const first = scrollTextTo(id);
  activate(id);
  if (form) form.close();
  popover.show(id, first || item.getBoundingClientRect());
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
  if (!popover.open || popoverEl.contains(event.target) || event.target.closest("[data-claims-list]")) return;
  // A press on a highlight opens its claim instead (the click handler).
  if (text.contains(event.target) && claimsUnder(event.clientX, event.clientY)) return;
  popover.close();
});

const colourBy = document.querySelector("[data-colour-by]");
colourBy.value = localStorage.getItem("sco-claims:colour-by") || "tag";
text.dataset.colour = colourBy.value;
colourBy.addEventListener("change", () => {
  text.dataset.colour = colourBy.value;
  localStorage.setItem("sco-claims:colour-by", colourBy.value);
  painter.register();
  drawLegend();
});

// The source as stored, markup and all (CSS does the showing, so it also works without this script).
const showSource = document.querySelector("[data-show-source]");
showSource.checked = localStorage.getItem("sco-claims:show-source") === "true";
showSource.addEventListener("change", () => localStorage.setItem("sco-claims:show-source", String(showSource.checked)));

function drawLegend() {
  const legend = document.querySelector("[data-legend]");
  if (text.dataset.colour === "stance") {
    legend.replaceChildren(
      ...["affirms", "denies", "qualifies"].map((s) => h("span", { class: "stance", dataset: { stance: s } }, s)),
    );
  } else {
    const used = new Set(claims.placed.filter((c) => c.tags.length).map((c) => c.tags[0]));
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
  popover.show(id, first || panelItem(id).getBoundingClientRect());
}
window.addEventListener("hashchange", openFromHash);

installColours();
painter.paint(claims.placed);
drawLegend();
// The highlights go on screen with the text's first paint (what bench/reader.py measures); the panel
// is listed right after, then the reading aids (contents, find, the panel's filter, drafts, the keyboard:
// see reader_comfort.js), and then the page is ready.
afterPaint(() => {
  performance.mark("highlights-painted");
  drawPanel(panel, claims, { canAnnotate: Boolean(form) });
  comfort = installComfort({
    text,
    list: panel,
    form,
    popoverEl,
    urls,
    paper: data.paper,
    say,
    claims: () => claims,
    onFilter: (shown) => (drawing ? (painter.shown = shown) : painter.setShown(shown)),
  });
  openFromHash();
  afterPaint(() => {
    document.body.dataset.readerReady = "true";
  });
});
