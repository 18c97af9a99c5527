// The argument map page: the filters, the graph (map-graph.js), its list view (map-list.js), the side panel of
// the claim or link picked, the legend and the exports. The first payload is GET /api/v1/map/?shape=compact
// (no quotes nor statements); a claim's quote and statement are fetched when it is opened. A relation or tag
// filter draws only the claims a shown link touches, unless "keep unlinked claims" is ticked.

import { filterParams, filteredLoader, readerUrl, setField } from "./discourse-common.js";
import { h as make, oneLine, truncate } from "./dom.js";
import { errorText, pageUrl } from "./http.js";
import { claimDetails, decodeMap } from "./map-data.js";
import { ArgumentGraph, download, legendItems } from "./map-graph.js";
import { MapList } from "./map-list.js";

const root = document.querySelector("[data-argument-map]");
const form = document.querySelector("[data-map-filters]");
const status = document.querySelector("[data-map-status]");
const detail = document.querySelector("[data-map-detail]");
const legend = document.querySelector("[data-map-legend]");
const FILTERS = ["project", "tag", "author", "paper", "include", "relation", "unlinked"];
const VIEW = ["layout", "colour"];

let data = { nodes: [], edges: [] };
const fetchMap = filteredLoader(root, status);
const details = claimDetails(pageUrl(root, "apiClaims"));
const graph = new ArgumentGraph(root, { onSelect: (picked) => showPicked(picked, false) });
const list = new MapList(document.querySelector("[data-map-list]"), { onPick: (picked) => showPicked(picked, true) });
window.scoMap = null; // the Cytoscape instance (null for a large map, drawn on a plain canvas), for tests

function showPicked(picked, fromList) {
  if (!picked) {
    list.mark(null);
    hideDetail();
    return;
  }
  if (fromList) graph.focus(picked.kind, picked.id);
  else list.mark(picked.kind, picked.id);
  if (picked.kind === "claim") showClaim(picked.id);
  else showLink(picked.id);
}

function draw() {
  const colourBy = form.elements.colour.value;
  const colours = graph.draw(data, { colourBy, layout: form.elements.layout.value });
  window.scoMap = graph.cy;
  legend.replaceChildren(...legendItems(colours, colourBy));
  list.show(data);
  applySearch();
  root.dataset.state = "ready";
  const counted = data.counted ? `; counted: ${data.counted.join(" and ")}` : "";
  status.textContent = `${data.nodes.length} claims, ${data.edges.length} links${counted}${graph.large ? " (large map: labels show when you zoom in; the list view below names every claim and link)" : ""}.`;
}

async function load() {
  const params = filterParams(form, FILTERS);
  const page = new URLSearchParams(params);
  for (const name of VIEW) if (form.elements[name].value !== form.elements[name].options[0].value) page.set(name, form.elements[name].value);
  // Claims no shown link touches are left out when links are filtered (relation) or claims are (tag).
  params.delete("unlinked");
  if ((params.has("relation") || params.has("tag")) && !form.elements.unlinked.checked) params.set("unlinked", "hide");
  params.set("shape", "compact");
  const started = performance.now();
  const answer = await fetchMap(params, page);
  if (!answer) return;
  data = decodeMap(answer);
  const fetched = performance.now();
  hideDetail();
  draw();
  // For the benchmark and the curious: milliseconds spent fetching, drawing, and until the first frame.
  root.dataset.fetchMs = String(Math.round(fetched - started));
  root.dataset.drawMs = String(Math.round(performance.now() - fetched));
  requestAnimationFrame(() => setTimeout(() => {
    root.dataset.paintMs = String(Math.round(performance.now() - fetched));
    root.dataset.painted = "true";
  }));
}

function applySearch() {
  const words = form.elements.search.value.toLowerCase().split(/\s+/).filter(Boolean);
  const matches = graph.search(words);
  if (matches === null) return;
  root.dataset.matchCount = String(matches);
  if (words.length) status.textContent = `${matches} of ${data.nodes.length} claims match “${words.join(" ")}”.`;
}

function hideDetail() {
  if (detail.hidden) return;
  detail.hidden = true;
  detail.replaceChildren();
  graph.resize(); // the canvas gets the panel's width back
}

function openDetail() {
  if (!detail.hidden) return;
  detail.hidden = false;
  graph.resize();
}

function linkItem(edge, claimId) {
  const outgoing = edge.source === claimId;
  const other = graph.byId.get(outgoing ? edge.target : edge.source);
  const button = make("button", { type: "button", class: "link-to" }, truncate(oneLine(other ? other.label : ""), 90));
  button.addEventListener("click", () => showPicked({ kind: "claim", id: other.id }, true));
  return make("li", { class: `rel-${edge.relation}` }, outgoing ? `${edge.relation} → ` : `← ${edge.relation} by `, button);
}

// The quote and statement of a claim, fetched once; until then (or on failure) a line that says so.
function quoteOf(id) {
  const holder = make("div", { class: "claim-text", "data-loading": "" }, make("p", { class: "hint" }, "Loading the quote…"));
  details(id).then((claim) => {
    holder.replaceChildren(
      make("blockquote", { class: "quote", "data-claim-id": id }, claim.target.exact),
      make("p", { class: "statement" }, claim.statement),
    );
    delete holder.dataset.loading;
  }, (error) => {
    holder.replaceChildren(make("p", { class: "error" }, `The quote could not be loaded: ${errorText(error)}`));
  });
  return holder;
}

function showClaim(id) {
  const n = graph.byId.get(id);
  if (!n) return;
  const links = data.edges.filter((e) => e.source === id || e.target === id);
  detail.replaceChildren(
    make("h2", {}, `${n.stance} · ${n.paper}`),
    quoteOf(id),
    make("dl", {},
      make("dt", {}, "Authors"), make("dd", {}, n.authors.join("; ") || "—"),
      make("dt", {}, "Speaker"), make("dd", {}, n.speaker || "the authors"),
      make("dt", {}, "Tags"), make("dd", {}, n.tags.join(", ") || "—"),
      make("dt", {}, "Status"), make("dd", {}, n.status)),
    make("h3", {}, `Links (${links.length})`),
    make("ul", { class: "links" }, ...links.map((e) => linkItem(e, id))),
    make("a", { href: readerUrl(root, n.paper, n.id), class: "open-reader", "data-open-reader": "" }, "Open in the reader →"),
  );
  openDetail();
}

function showLink(id) {
  const e = graph.edgeById.get(id);
  if (!e) return;
  const end = (n) => make("div", { class: "link-end" },
    quoteOf(n.id), make("p", {}, `${n.authors.join("; ")} (${n.paper})`),
    make("a", { href: readerUrl(root, n.paper, n.id) }, "Open in the reader →"));
  detail.replaceChildren(make("h2", {}, `${e.relation} (${e.status})`), end(graph.byId.get(e.source)),
    make("p", { class: "relation" }, `${e.relation} ↓`), end(graph.byId.get(e.target)));
  openDetail();
}

function exportSvg() {
  const url = URL.createObjectURL(new Blob([graph.svg()], { type: "image/svg+xml" }));
  download(url, "argument-map.svg");
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function init() {
  const params = new URLSearchParams(location.search);
  for (const name of [...FILTERS, ...VIEW]) if (params.has(name)) setField(form.elements[name], params.get(name));
  form.addEventListener("submit", (event) => event.preventDefault());
  for (const name of FILTERS) form.elements[name].addEventListener("change", load);
  form.elements.layout.addEventListener("change", () => {
    if (!graph.engine) return;
    graph.layout(form.elements.layout.value);
    applySearch();
  });
  form.elements.colour.addEventListener("change", () => {
    if (!graph.engine) return;
    const colourBy = form.elements.colour.value;
    legend.replaceChildren(...legendItems(graph.recolour(colourBy), colourBy));
  });
  let timer = null;
  form.elements.search.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(applySearch, 150);
  });
  form.elements.search.addEventListener("keydown", (event) => {
    if (event.key === "Enter") graph.fitMatches();
  });
  document.querySelector("[data-map-fit]").addEventListener("click", () => graph.fit());
  document.querySelector("[data-map-png]").addEventListener("click", () => graph.engine && download(graph.png(), "argument-map.png"));
  document.querySelector("[data-map-svg]").addEventListener("click", () => graph.engine && exportSvg());
  load();
}

init();
