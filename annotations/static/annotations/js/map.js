// The argument map: claims as nodes (colour = author or paper, shape = stance), links as edges (style =
// relation), drawn with the vendored Cytoscape.js from GET /api/v1/map/ with the filters of the form.
// Large graphs (LARGE nodes and more) get a linear-time grouped layout by default, a grid-based force layout
// instead of cose (whose cost grows with the square of the nodes), straight "haystack" edges, labels only
// when zoomed in, and textures while panning, so 2,000 claims and 6,000 links stay responsive.

import { filterParams, filteredLoader, readerUrl, setField } from "./discourse-common.js";
import { h as make, oneLine, truncate } from "./dom.js";
import { forcePositions } from "./force-layout.js";
import { fitView as frame, groupedPositions } from "./map-layout.js";
import { colourKey, elements, palette, style } from "./map-style.js";

const LARGE = 600;

const root = document.querySelector("[data-argument-map]");
const form = document.querySelector("[data-map-filters]");
const status = document.querySelector("[data-map-status]");
const detail = document.querySelector("[data-map-detail]");
const legend = document.querySelector("[data-map-legend]");
const FILTERS = ["project", "tag", "author", "paper", "include", "relation"];

let cy = null;
let large = null;
let data = { nodes: [], edges: [] };
let byId = new Map();
const fetchMap = filteredLoader(root, status);

function runLayout() {
  const choice = form.elements.layout.value;
  const name = choice === "auto" ? (large ? "author" : "cose") : choice;
  cy.remove("node.group-label");
  if (name === "cose" && large) {
    const positions = forcePositions(
      data.nodes.map((n) => n.id),
      data.edges.map((e) => [e.source, e.target]),
      { iterations: data.nodes.length > 5000 ? 50 : 100 },
    );
    cy.nodes(".claim").layout({ name: "preset", positions: (node) => positions[node.id()], fit: false }).run();
    fitView();
  } else if (name === "cose") {
    cy.layout({
      name: "cose", animate: false, randomize: true, fit: true, padding: 30, nodeDimensionsIncludeLabels: false,
      numIter: 1000, idealEdgeLength: () => 70, nodeRepulsion: () => 60000,
    }).run();
  } else {
    const { positions, labels } = groupedPositions(data.nodes, name);
    cy.add(labels.map((g) => ({ group: "nodes", classes: "group-label", data: { id: g.id, label: g.label }, position: { x: g.x, y: g.y }, locked: true, grabbable: false, selectable: false })));
    cy.nodes(".claim").layout({ name: "preset", positions: (node) => positions[node.id()], fit: false }).run();
    fitView();
  }
  root.dataset.layout = name === "cose" && large ? "force" : name;
}

function fitView(eles = cy.nodes(), padding = 40) {
  frame(cy, eles, padding);
}

function createCy(isLarge) {
  if (cy) cy.destroy();
  large = isLarge;
  cy = window.cytoscape({
    container: root,
    style: style(isLarge),
    wheelSensitivity: 0.3,
    minZoom: 0.02,
    maxZoom: 4,
    textureOnViewport: isLarge,
    hideEdgesOnViewport: isLarge,
    motionBlur: false,
    pixelRatio: isLarge ? 1 : "auto",
  });
  window.scoMap = cy;
  cy.on("tap", "node.claim", (event) => showClaim(event.target.id()));
  cy.on("tap", "edge", (event) => showLink(event.target.id()));
  cy.on("tap", (event) => {
    if (event.target === cy) hideDetail();
  });
}

function draw() {
  const colourBy = form.elements.colour.value;
  const isLarge = data.nodes.length >= LARGE;
  if (!cy || isLarge !== large) createCy(isLarge);
  const { nodes, edges, colours } = elements(data, colourBy);
  cy.batch(() => {
    cy.elements().remove();
    cy.add(nodes);
    cy.add(edges);
  });
  runLayout();
  drawLegend(colours, colourBy);
  applySearch();
  root.dataset.nodeCount = String(cy.nodes(".claim").length);
  root.dataset.edgeCount = String(cy.edges().length);
  root.dataset.state = "ready";
  const counted = data.counted ? `; counted: ${data.counted.join(" and ")}` : "";
  status.textContent = `${data.nodes.length} claims, ${data.edges.length} links${counted}${isLarge ? " (large graph: labels show when you zoom in)" : ""}.`;
}

function recolour() {
  if (!cy) return;
  const colourBy = form.elements.colour.value;
  const colours = palette(data.nodes.map((n) => colourKey(n, colourBy)));
  cy.batch(() => {
    for (const n of data.nodes) cy.getElementById(n.id).data("colour", colours.get(colourKey(n, colourBy)));
  });
  drawLegend(colours, colourBy);
}

function drawLegend(colours, colourBy) {
  legend.replaceChildren();
  const list = make("ul", { class: "legend-colours" });
  for (const [key, colour] of colours) {
    const chip = make("span", { class: "chip" });
    chip.style.backgroundColor = colour;
    list.append(make("li", {}, chip, key));
  }
  const shapes = make("ul", { class: "legend-shapes" },
    make("li", {}, "● affirms"), make("li", {}, "◆ denies"), make("li", {}, "▢ qualifies"),
    make("li", { class: "rel-supports" }, "— supports"), make("li", { class: "rel-conflicts" }, "- - conflicts"),
    make("li", { class: "rel-restates" }, "··· restates"), make("li", {}, "dashed border, faint line: pending"));
  legend.append(make("h2", {}, `Colour: ${colourBy}`), list, make("h2", {}, "Shape and line"), shapes);
}

async function load() {
  const params = filterParams(form, FILTERS);
  const page = new URLSearchParams(params);
  for (const name of ["layout", "colour"]) if (form.elements[name].value !== form.elements[name].options[0].value) page.set(name, form.elements[name].value);
  const started = performance.now();
  const answer = await fetchMap(params, page);
  if (!answer) return;
  data = answer;
  const fetched = performance.now();
  byId = new Map(data.nodes.map((n) => [n.id, n]));
  hideDetail();
  draw();
  // For the benchmark and the curious: milliseconds spent fetching and drawing.
  root.dataset.fetchMs = String(Math.round(fetched - started));
  root.dataset.drawMs = String(Math.round(performance.now() - fetched));
}

let searched = false;

function applySearch() {
  const words = form.elements.search.value.toLowerCase().split(/\s+/).filter(Boolean);
  if (!cy || (!words.length && !searched)) return; // nothing to undo: spare a restyle of every element
  searched = words.length > 0;
  cy.batch(() => {
    cy.elements().removeClass("faded match");
    if (!words.length) return;
    const hits = cy.nodes(".claim").filter((node) => {
      const n = byId.get(node.id());
      const text = `${n.statement} ${n.exact} ${n.speaker || ""} ${n.authors.join(" ")} ${n.paper} ${n.tags.join(" ")}`.toLowerCase();
      return words.every((word) => text.includes(word));
    });
    cy.elements().not(hits).not(".group-label").addClass("faded");
    hits.addClass("match");
    hits.connectedEdges().removeClass("faded");
  });
  const matches = cy.nodes(".match").length;
  root.dataset.matchCount = String(matches);
  if (words.length) status.textContent = `${matches} of ${data.nodes.length} claims match “${words.join(" ")}”.`;
}

function hideDetail() {
  if (detail.hidden) return;
  detail.hidden = true;
  detail.replaceChildren();
  cy?.resize(); // the canvas gets the panel's width back
}

function openDetail() {
  if (!detail.hidden) return;
  detail.hidden = false;
  cy.resize();
}

function linkItem(edge, claimId) {
  const outgoing = edge.source === claimId;
  const other = byId.get(outgoing ? edge.target : edge.source);
  const button = make("button", { type: "button", class: "link-to" }, truncate(oneLine(other ? other.statement : ""), 90));
  button.addEventListener("click", () => focusClaim(other.id));
  return make("li", { class: `rel-${edge.relation}` }, outgoing ? `${edge.relation} → ` : `← ${edge.relation} by `, button);
}

function showClaim(id) {
  const n = byId.get(id);
  if (!n) return;
  const links = data.edges.filter((e) => e.source === id || e.target === id);
  detail.replaceChildren(
    make("h2", {}, `${n.stance} · ${n.paper}`),
    make("blockquote", { class: "quote", "data-claim-id": n.id }, n.exact),
    make("p", { class: "statement" }, n.statement),
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
  root.dataset.selected = id;
}

function showLink(id) {
  const e = data.edges.find((edge) => edge.id === id);
  const source = byId.get(e.source);
  const target = byId.get(e.target);
  const end = (n) => make("div", { class: "link-end" },
    make("blockquote", { class: "quote" }, n.exact), make("p", {}, `${n.authors.join("; ")} (${n.paper})`),
    make("a", { href: readerUrl(root, n.paper, n.id) }, "Open in the reader →"));
  detail.replaceChildren(make("h2", {}, `${e.relation} (${e.status})`), end(source), make("p", { class: "relation" }, `${e.relation} ↓`), end(target));
  openDetail();
}

function focusClaim(id) {
  const node = cy.getElementById(id);
  cy.elements().unselect();
  node.select();
  cy.animate({ center: { eles: node }, zoom: Math.max(cy.zoom(), 1) }, { duration: 200 });
  showClaim(id);
}

function exportPng() {
  const link = make("a", { href: cy.png({ full: false, scale: 2, bg: "#ffffff" }), download: "argument-map.png" });
  document.body.append(link);
  link.click();
  link.remove();
}

function init() {
  const params = new URLSearchParams(location.search);
  for (const name of [...FILTERS, "layout", "colour"]) if (params.has(name)) setField(form.elements[name], params.get(name));
  form.addEventListener("submit", (event) => event.preventDefault());
  for (const name of FILTERS) form.elements[name].addEventListener("change", load);
  form.elements.layout.addEventListener("change", () => {
    if (!cy) return;
    runLayout();
    applySearch();
  });
  form.elements.colour.addEventListener("change", recolour);
  let timer = null;
  form.elements.search.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(applySearch, 150);
  });
  form.elements.search.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && cy && cy.nodes(".match").length) fitView(cy.nodes(".match"), 60);
  });
  document.querySelector("[data-map-fit]").addEventListener("click", () => cy && fitView());
  document.querySelector("[data-map-png]").addEventListener("click", () => cy && exportPng());
  load();
}

init();
