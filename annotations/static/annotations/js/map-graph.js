// The argument graph: what /map/ and /compare/ share. Nodes are claims (colour = author or paper, shape =
// stance), edges links (colour, line and label = relation). Layouts: force-directed (cose; a grid force layout
// when large) or blocks grouped by author, paper or tag (a claim with several tags in each of their blocks, the
// copies marked). Below LARGE claims it is drawn with the vendored Cytoscape.js: every label wrapped and pushed
// apart from the others, links labelled, and the first view never zoomed out below legible labels. From LARGE
// claims on, map-canvas.js draws it on a plain canvas (Cytoscape needs seconds to build that many elements);
// labels then show when zoomed in.

import { h as make } from "./dom.js";
import { forcePositions } from "./force-layout.js";
import { fitView as frame, groupedPositions, separate } from "./map-layout.js";
import { colourKey, elements, palette, style } from "./map-style.js";
import { CanvasGraph } from "./map-canvas.js";
import { cyPicture, toSvg } from "./map-svg.js";

export const LARGE = 600;
const LEGIBLE_ZOOM = 0.8; // labels of 11 px drawn at 8.8 px at least
const ROOMY_STEP = { x: 175, y: 95 }; // a node and its wrapped label, on a small grouped map

// A graph of fewer than LARGE claims, drawn by Cytoscape.
class CyGraph {
  constructor(container, { onSelect = () => {} } = {}) {
    this.container = container;
    this.onSelect = onSelect;
    this.cy = null;
    this.data = { nodes: [], edges: [] };
    this.byId = new Map();
    this.edgeById = new Map();
  }

  createCy() {
    this.container.dataset.engine = "cytoscape";
    const cy = window.cytoscape({
      container: this.container,
      style: style(),
      wheelSensitivity: 0.3,
      minZoom: 0.02,
      maxZoom: 4,
      motionBlur: false,
    });
    cy.on("tap", "node.claim", (event) => {
      const id = event.target.data("claim");
      this.pick("claim", id);
      this.onSelect({ kind: "claim", id });
    });
    cy.on("tap", "edge", (event) => {
      this.pick("link", event.target.id());
      this.onSelect({ kind: "link", id: event.target.id() });
    });
    cy.on("tap", (event) => {
      if (event.target === cy) {
        this.pick(null);
        this.onSelect(null);
      }
    });
    this.cy = cy;
  }

  // Draw `data` ({nodes, edges} as map-data.js gives them), coloured by `colourBy`, laid out by `layout`
  // ("auto", "cose", "author", "paper", "tag"). Returns the colours used, for a legend.
  draw(data, { colourBy = "author", layout = "auto" } = {}) {
    this.data = data;
    this.byId = new Map(data.nodes.map((n) => [n.id, n]));
    this.edgeById = new Map(data.edges.map((e) => [e.id, e]));
    if (!this.cy) this.createCy();
    const { nodes, edges, colours } = elements(data, colourBy);
    this.colours = colours;
    this.cy.batch(() => {
      this.cy.elements().remove();
      this.cy.add(nodes);
      this.cy.add(edges);
    });
    this.layout(layout);
    this.container.dataset.nodeCount = String(data.nodes.length);
    this.container.dataset.edgeCount = String(data.edges.length);
    return colours;
  }

  recolour(colourBy) {
    const colours = palette(this.data.nodes.map((n) => colourKey(n, colourBy)));
    this.cy.batch(() => {
      for (const node of this.cy.nodes(".claim")) node.data("colour", colours.get(colourKey(this.byId.get(node.data("claim")), colourBy)));
    });
    this.colours = colours;
    return colours;
  }

  layout(choice) {
    const { cy, data } = this;
    const name = choice === "auto" ? "cose" : choice;
    cy.batch(() => cy.remove("node.group-label, node.copy"));
    if (name === "cose") {
      // The grid force layout (linear per round, deterministic, gravity keeps the pieces together), with
      // room for the labels, which unclutter() then pushes apart. (Cytoscape's cose spread small graphs of
      // several pieces over thousands of pixels.)
      const positions = forcePositions(
        data.nodes.map((n) => n.id),
        data.edges.map((e) => [e.source, e.target]),
        { iterations: data.nodes.length > 150 ? 150 : 300, distance: 120 },
      );
      cy.nodes(".claim").positions((node) => positions[node.id()]);
    } else {
      const { positions, labels, copies } = groupedPositions(data.nodes, name, ROOMY_STEP);
      cy.batch(() => {
        cy.add(labels.map((g) => ({ group: "nodes", classes: "group-label", data: { id: g.id, label: g.label }, position: { x: g.x, y: g.y }, locked: true, grabbable: false, selectable: false })));
        cy.add(copies.map((c) => {
          const original = cy.getElementById(c.claim);
          return { group: "nodes", classes: "claim copy", data: { ...original.data(), id: c.id, claim: c.claim, group: c.key }, position: { x: c.x, y: c.y } };
        }));
        cy.nodes(".claim").not(".copy").positions((node) => positions[node.id()]);
        for (const node of cy.nodes(".claim").not(".copy")) node.data("group", positions[node.id()].key);
      });
    }
    this.unclutter();
    this.container.dataset.layout = name;
    this.fit();
  }

  // No label over another node or label: push the boxes (node and label together) apart.
  unclutter() {
    const nodes = this.cy.nodes(".claim, .group-label");
    const boxes = nodes.map((node) => {
      const box = node.boundingBox({ includeLabels: true, includeOverlays: false });
      const { x, y } = node.position();
      return { node, x: (box.x1 + box.x2) / 2, y: (box.y1 + box.y2) / 2, w: box.w, h: box.h, dx: x - (box.x1 + box.x2) / 2, dy: y - (box.y1 + box.y2) / 2 };
    });
    separate(boxes);
    this.cy.batch(() => {
      for (const b of boxes) {
        b.node.unlock();
        b.node.position({ x: b.x + b.dx, y: b.y + b.dy });
        if (b.node.hasClass("group-label")) b.node.lock();
      }
    });
  }

  fit(eles = this.cy.nodes(), padding = 40) {
    frame(this.cy, eles, padding, LEGIBLE_ZOOM);
  }

  // Mark the claim or link `id` picked (every copy of a claim), or nothing when kind is null.
  pick(kind, id) {
    const { cy } = this;
    cy.batch(() => {
      cy.elements(":selected").unselect();
      cy.elements(".picked").removeClass("picked");
      if (kind === "claim") cy.nodes(".claim").filter((node) => node.data("claim") === id).addClass("picked").select();
      else if (kind === "link") cy.getElementById(id).select();
    });
    this.container.dataset.selected = id || "";
  }

  // Pick and bring into view (from the list view or a link in the side panel).
  focus(kind, id) {
    this.pick(kind, id);
    const eles = kind === "claim" ? this.cy.getElementById(id) : this.cy.getElementById(id).connectedNodes();
    if (eles.length) this.cy.animate({ center: { eles }, zoom: Math.max(this.cy.zoom(), 1) }, { duration: 200 });
  }

  // The whole graph as a PNG data URL, whatever is on screen (at most 8,000 px a side).
  png() {
    return this.cy.png({ full: true, scale: 2, bg: "#ffffff", maxWidth: 8000, maxHeight: 8000 });
  }

  picture() {
    return cyPicture(this.cy);
  }

  // Claims whose data passes `test` highlighted, the others faded (null: none); the number of matches.
  search(test) {
    const { cy } = this;
    let count = 0;
    cy.batch(() => {
      cy.elements().removeClass("faded match");
      if (!test) return;
      const hits = cy.nodes(".claim").filter((node) => test(this.byId.get(node.data("claim"))));
      cy.elements().not(hits).not(".group-label").addClass("faded");
      hits.addClass("match");
      hits.connectedEdges().removeClass("faded");
      count = hits.not(".copy").length;
    });
    return count;
  }

  fitMatches() {
    const hits = this.cy.nodes(".match");
    if (hits.length) this.fit(hits, 60);
  }

  resize() {
    this.cy.resize();
  }

  destroy() {
    this.cy?.destroy();
    this.cy = null;
  }
}

// The graph of a page, drawn by Cytoscape or, when large, on a plain canvas; the same calls either way.
export class ArgumentGraph {
  // container: the element the graph is drawn in; onSelect({kind: "claim" | "link", id} | null) when the user
  // picks a claim or a link on the graph (or clicks the background).
  constructor(container, { onSelect = () => {} } = {}) {
    this.container = container;
    this.onSelect = onSelect;
    this.engine = null;
    this.data = { nodes: [], edges: [] };
    this.byId = new Map();
    this.edgeById = new Map();
    this.searching = false;
  }

  get large() {
    return this.engine instanceof CanvasGraph;
  }

  // Cytoscape's instance (null when the canvas draws a large graph).
  get cy() {
    return this.engine instanceof CyGraph ? this.engine.cy : null;
  }

  draw(data, { colourBy = "author", layout = "auto" } = {}) {
    this.data = data;
    this.byId = new Map(data.nodes.map((n) => [n.id, n]));
    this.edgeById = new Map(data.edges.map((e) => [e.id, e]));
    const wanted = data.nodes.length >= LARGE ? CanvasGraph : CyGraph;
    if (!(this.engine instanceof wanted)) {
      this.engine?.destroy();
      this.engine = new wanted(this.container, { onSelect: this.onSelect });
    }
    this.searching = false;
    this.container.dataset.nodeCount = String(data.nodes.length);
    this.container.dataset.edgeCount = String(data.edges.length);
    if (this.engine instanceof CyGraph) return this.engine.draw(data, { colourBy, layout });
    this.container.dataset.engine = "canvas";
    this.colours = palette(data.nodes.map((n) => colourKey(n, colourBy)));
    this.engine.setData(data, (n) => this.colours.get(colourKey(n, colourBy)));
    this.layout(layout);
    return this.colours;
  }

  recolour(colourBy) {
    if (this.engine instanceof CyGraph) return this.engine.recolour(colourBy);
    this.colours = palette(this.data.nodes.map((n) => colourKey(n, colourBy)));
    this.engine.colourOf = (n) => this.colours.get(colourKey(n, colourBy));
    this.engine.render();
    return this.colours;
  }

  layout(choice) {
    if (this.engine instanceof CyGraph) return this.engine.layout(choice);
    const name = choice === "auto" ? "author" : choice;
    this.engine.layout(name);
    this.container.dataset.layout = name === "cose" ? "force" : name;
    this.engine.fit();
  }

  // words: claims whose label, people, paper, stance or tags hold every one are highlighted; the count.
  search(words) {
    if (!this.engine || (!words.length && !this.searching)) return null; // nothing to undo: spare a repaint
    this.searching = words.length > 0;
    if (!words.length) return this.engine.search(null);
    return this.engine.search((n) => {
      const text = `${n.label} ${n.speaker || ""} ${n.authors.join(" ")} ${n.paper} ${n.stance} ${n.tags.join(" ")}`.toLowerCase();
      return words.every((word) => text.includes(word));
    });
  }

  fit() {
    this.engine?.fit();
  }

  fitMatches() {
    this.engine?.fitMatches();
  }

  pick(kind, id) {
    this.engine?.pick(kind, id);
  }

  focus(kind, id) {
    this.engine?.focus(kind, id);
  }

  png() {
    return this.engine.png();
  }

  svg() {
    return toSvg(this.engine.picture());
  }

  resize() {
    this.engine?.resize();
  }

  destroy() {
    this.engine?.destroy();
    this.engine = null;
  }
}

// Offer `href` as a download called `name`.
export function download(href, name) {
  const link = make("a", { href, download: name });
  document.body.append(link);
  link.click();
  link.remove();
}

// The legend of a graph: node colours, stance shapes, relation lines, pending marks and copies.
export function legendItems(colours, colourBy) {
  const list = make("ul", { class: "legend-colours" });
  for (const [key, colour] of colours) {
    const chip = make("span", { class: "chip", "aria-hidden": "true" });
    chip.style.backgroundColor = colour;
    list.append(make("li", {}, chip, key));
  }
  const shapes = make("ul", { class: "legend-shapes" },
    make("li", {}, make("span", { "aria-hidden": "true" }, "● "), "affirms"),
    make("li", {}, make("span", { "aria-hidden": "true" }, "◆ "), "denies"),
    make("li", {}, make("span", { "aria-hidden": "true" }, "▢ "), "qualifies"),
    make("li", { class: "rel-supports" }, make("span", { class: "line solid", "aria-hidden": "true" }), "supports (arrow)"),
    make("li", { class: "rel-conflicts" }, make("span", { class: "line dashed", "aria-hidden": "true" }), "conflicts (bar)"),
    make("li", { class: "rel-restates" }, make("span", { class: "line dotted", "aria-hidden": "true" }), "restates (dot)"),
    make("li", {}, "dashed border, faint line: pending"),
    make("li", {}, "double border: the same claim under another tag"));
  return [make("h2", {}, `Colour: ${colourBy}`), list, make("h2", {}, "Shape and line"), shapes];
}
