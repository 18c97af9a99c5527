// The argument graph for large maps (thousands of claims, tens of thousands of links), drawn on one <canvas>
// without Cytoscape: a graph of that size costs Cytoscape seconds to build (an object, a style and a cached
// texture per element) before its first frame, where plain paths cost milliseconds. Same looks (colour =
// author or paper, shape = stance, colour of line = relation, pending dashed), same layouts, pan (drag), zoom
// (wheel), pick a claim or a link (click); labels show once zoomed in enough to read them.

import { forcePositions } from "./force-layout.js";
import { groupedPositions } from "./map-layout.js";
import { LABEL_FONT, RELATIONS } from "./map-style.js";

const SIZE = 22;
const LEGIBLE = 7; // px: labels drawn only when at least this large on screen
const MAX_LABELS = 1500;

export class CanvasGraph {
  constructor(container, { onSelect }) {
    this.container = container;
    this.onSelect = onSelect;
    this.canvas = document.createElement("canvas");
    this.canvas.className = "large-graph";
    container.append(this.canvas);
    this.context = this.canvas.getContext("2d");
    this.view = { zoom: 1, x: 0, y: 0 };
    this.places = []; // {node (index), x, y, copy, key}
    this.groups = [];
    this.picked = null;
    this.matches = null;
    this.frame = 0;
    this.listen();
  }

  // data as map-data.js gives it; colours: claim id -> colour.
  setData(data, colourOf) {
    this.data = data;
    this.index = new Map(data.nodes.map((n, i) => [n.id, i]));
    this.colourOf = colourOf;
    this.ends = data.edges.map((e) => [this.index.get(e.source), this.index.get(e.target)]);
  }

  layout(name) {
    const { nodes, edges } = this.data;
    this.groups = [];
    if (name === "cose") {
      const positions = forcePositions(nodes.map((n) => n.id), edges.map((e) => [e.source, e.target]), { iterations: nodes.length > 5000 ? 50 : 100 });
      this.places = nodes.map((n, i) => ({ node: i, ...positions[n.id], copy: false }));
    } else {
      const { positions, labels, copies } = groupedPositions(nodes, name);
      this.places = nodes.map((n, i) => ({ node: i, x: positions[n.id].x, y: positions[n.id].y, key: positions[n.id].key, copy: false }));
      for (const c of copies) this.places.push({ node: this.index.get(c.claim), x: c.x, y: c.y, key: c.key, copy: true });
      this.groups = labels;
    }
  }

  size() {
    const { clientWidth: w, clientHeight: h } = this.container;
    if (this.canvas.width !== w || this.canvas.height !== h) {
      this.canvas.width = w;
      this.canvas.height = h;
    }
    return [w, h];
  }

  bounds(places = this.places) {
    let [x1, y1, x2, y2] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const p of places) {
      x1 = Math.min(x1, p.x);
      y1 = Math.min(y1, p.y);
      x2 = Math.max(x2, p.x);
      y2 = Math.max(y2, p.y);
    }
    for (const g of this.groups) {
      x1 = Math.min(x1, g.x);
      y1 = Math.min(y1, g.y - 16);
    }
    return { x1: x1 - SIZE, y1: y1 - SIZE, x2: x2 + SIZE + 60, y2: y2 + SIZE + 14 };
  }

  fit(places = this.places, padding = 40) {
    if (!places.length) return this.render();
    const [w, h] = this.size();
    const b = this.bounds(places);
    const zoom = Math.min(Math.max(Math.min((w - 2 * padding) / (b.x2 - b.x1), (h - 2 * padding) / (b.y2 - b.y1)), 0.02), 1.5);
    this.view = { zoom, x: w / 2 - (zoom * (b.x1 + b.x2)) / 2, y: h / 2 - (zoom * (b.y1 + b.y2)) / 2 };
    this.render();
  }

  render() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      const [w, h] = this.size();
      this.paint(this.context, w, h, this.view);
    });
  }

  // Everything, on `context` (w x h px) seen through `view` ({zoom, x, y}: screen = graph * zoom + x, y).
  paint(context, w, h, view) {
    const { zoom } = view;
    context.setTransform(1, 0, 0, 1, 0, 0);
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, w, h);
    context.setTransform(zoom, 0, 0, zoom, view.x, view.y);
    const [x1, y1] = [-view.x / zoom, -view.y / zoom];
    const [x2, y2] = [x1 + w / zoom, y1 + h / zoom];
    const seen = (p) => p.x > x1 - SIZE && p.x < x2 + SIZE && p.y > y1 - SIZE && p.y < y2 + SIZE;
    const nodes = this.data.nodes;
    const faded = (i) => Boolean(this.matches) && !this.matches.has(i);
    // Links: one path per relation and status, in the relation's colour.
    context.lineWidth = 1.5 / Math.max(zoom, 0.5);
    for (const [relation, look] of Object.entries(RELATIONS)) {
      for (const status of ["approved", "pending"]) {
        context.beginPath();
        this.data.edges.forEach((e, k) => {
          if (e.relation !== relation || e.status !== status) return;
          const [a, b] = this.ends[k];
          const pa = this.places[a];
          const pb = this.places[b];
          context.moveTo(pa.x, pa.y);
          context.lineTo(pb.x, pb.y);
        });
        context.strokeStyle = look.colour;
        context.globalAlpha = (status === "pending" ? 0.35 : 0.7) * (this.matches ? 0.15 : 1);
        context.stroke();
      }
    }
    context.globalAlpha = 1;
    if (this.picked?.kind === "link") {
      const [a, b] = this.ends[this.picked.index];
      context.beginPath();
      context.moveTo(this.places[a].x, this.places[a].y);
      context.lineTo(this.places[b].x, this.places[b].y);
      context.lineWidth = 4 / zoom;
      context.strokeStyle = RELATIONS[this.data.edges[this.picked.index].relation].colour;
      context.stroke();
    }
    // Claims: one path per colour.
    const byColour = new Map();
    for (const p of this.places) {
      if (!seen(p)) continue;
      const colour = this.colourOf(nodes[p.node]);
      if (!byColour.has(colour)) byColour.set(colour, []);
      byColour.get(colour).push(p);
    }
    const r = SIZE / 2;
    const shape = (p) => {
      const stance = nodes[p.node].stance;
      if (stance === "denies") {
        context.moveTo(p.x, p.y - r);
        context.lineTo(p.x + r, p.y);
        context.lineTo(p.x, p.y + r);
        context.lineTo(p.x - r, p.y);
        context.closePath();
      } else if (stance === "qualifies") context.rect(p.x - r, p.y - r, SIZE, SIZE);
      else {
        context.moveTo(p.x + r, p.y);
        context.arc(p.x, p.y, r, 0, 2 * Math.PI);
      }
    };
    for (const [colour, places] of byColour) {
      for (const dim of [false, true]) {
        context.beginPath();
        for (const p of places) if (faded(p.node) === dim) shape(p);
        context.fillStyle = colour;
        context.globalAlpha = dim ? 0.12 : 1;
        context.fill();
      }
    }
    context.globalAlpha = 1;
    const outline = (places, colour, width, dash = []) => {
      if (!places.length) return;
      context.beginPath();
      for (const p of places) shape(p);
      context.setLineDash(dash.map((d) => d / zoom));
      context.lineWidth = width / zoom;
      context.strokeStyle = colour;
      context.stroke();
      context.setLineDash([]);
    };
    const visible = this.places.filter(seen);
    if (zoom * SIZE > 6) {
      outline(visible.filter((p) => nodes[p.node].status === "pending"), "#555", 2, [4, 3]);
      outline(visible.filter((p) => p.copy), "#333", 3);
    }
    if (this.matches) outline(visible.filter((p) => this.matches.has(p.node)), "#f0b400", 3);
    if (this.picked?.kind === "claim") outline(this.places.filter((p) => p.node === this.picked.index), "#000", 4);
    // Labels, when they can be read.
    if (zoom * LABEL_FONT >= LEGIBLE && visible.length <= MAX_LABELS) {
      context.font = `${LABEL_FONT}px sans-serif`;
      context.textAlign = "center";
      context.textBaseline = "top";
      context.fillStyle = "#222";
      for (const p of visible) {
        const text = nodes[p.node].label || "";
        context.fillText(text.length > 28 ? `${text.slice(0, 27)}…` : text, p.x, p.y + r + 3, 40 * 3.5);
      }
    }
    context.setTransform(1, 0, 0, 1, 0, 0);
    context.font = "bold 14px sans-serif";
    context.textAlign = "left";
    context.textBaseline = "alphabetic";
    context.fillStyle = "#333";
    for (const g of this.groups) context.fillText(g.label, g.x * zoom + view.x, g.y * zoom + view.y);
  }

  // The claim place or the link under the screen point (x, y), or null.
  hit(x, y) {
    const gx = (x - this.view.x) / this.view.zoom;
    const gy = (y - this.view.y) / this.view.zoom;
    const reach = Math.max(SIZE / 2, 4 / this.view.zoom);
    let best = null;
    let bestDistance = reach * reach;
    for (const p of this.places) {
      const d = (p.x - gx) ** 2 + (p.y - gy) ** 2;
      if (d <= bestDistance) {
        best = { kind: "claim", index: p.node };
        bestDistance = d;
      }
    }
    if (best) return best;
    const near = 4 / this.view.zoom;
    for (let k = 0; k < this.ends.length; k++) {
      const a = this.places[this.ends[k][0]];
      const b = this.places[this.ends[k][1]];
      const dx = b.x - a.x;
      const dy = b.y - a.y;
      const t = Math.max(0, Math.min(1, ((gx - a.x) * dx + (gy - a.y) * dy) / (dx * dx + dy * dy || 1)));
      if ((a.x + t * dx - gx) ** 2 + (a.y + t * dy - gy) ** 2 <= near * near) return { kind: "link", index: k };
    }
    return null;
  }

  listen() {
    const canvas = this.canvas;
    let drag = null;
    canvas.addEventListener("wheel", (event) => {
      event.preventDefault();
      const rect = canvas.getBoundingClientRect();
      const [px, py] = [event.clientX - rect.left, event.clientY - rect.top];
      const zoom = Math.min(4, Math.max(0.02, this.view.zoom * Math.exp(-event.deltaY * 0.0015)));
      const k = zoom / this.view.zoom;
      this.view = { zoom, x: px - (px - this.view.x) * k, y: py - (py - this.view.y) * k };
      this.render();
    }, { passive: false });
    canvas.addEventListener("pointerdown", (event) => {
      drag = { x: event.clientX, y: event.clientY, view: { ...this.view }, moved: false };
      canvas.setPointerCapture(event.pointerId);
    });
    canvas.addEventListener("pointermove", (event) => {
      if (!drag) return;
      const [dx, dy] = [event.clientX - drag.x, event.clientY - drag.y];
      if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
      if (!drag.moved) return;
      this.view = { ...drag.view, x: drag.view.x + dx, y: drag.view.y + dy };
      this.render();
    });
    canvas.addEventListener("pointerup", (event) => {
      const wasDrag = drag?.moved;
      drag = null;
      if (wasDrag) return;
      const rect = canvas.getBoundingClientRect();
      const found = this.hit(event.clientX - rect.left, event.clientY - rect.top);
      if (!found) {
        this.pick(null);
        this.onSelect(null);
        return;
      }
      const id = found.kind === "claim" ? this.data.nodes[found.index].id : this.data.edges[found.index].id;
      this.pick(found.kind, id);
      this.onSelect({ kind: found.kind, id });
    });
  }

  pick(kind, id) {
    if (!kind) this.picked = null;
    else {
      const index = kind === "claim" ? this.index.get(id) : this.data.edges.findIndex((e) => e.id === id);
      this.picked = index === undefined || index < 0 ? null : { kind, index };
    }
    this.container.dataset.selected = id || "";
    this.render();
  }

  focus(kind, id) {
    this.pick(kind, id);
    if (!this.picked) return;
    const indexes = kind === "claim" ? [this.picked.index] : this.ends[this.picked.index];
    const places = this.places.filter((p) => indexes.includes(p.node) && !p.copy);
    const [w, h] = this.size();
    const b = this.bounds(places);
    const zoom = Math.max(this.view.zoom, 1);
    this.view = { zoom, x: w / 2 - (zoom * (b.x1 + b.x2)) / 2, y: h / 2 - (zoom * (b.y1 + b.y2)) / 2 };
    this.render();
  }

  // Claims whose data passes `test` highlighted, the others faded (null: none); the number of matches.
  search(test) {
    this.matches = test ? new Set(this.data.nodes.flatMap((n, i) => (test(n) ? [i] : []))) : null;
    this.render();
    return this.matches ? this.matches.size : 0;
  }

  fitMatches() {
    if (this.matches?.size) this.fit(this.places.filter((p) => this.matches.has(p.node)), 60);
  }

  // The whole graph as a PNG data URL (at most 8,000 px a side).
  png() {
    const b = this.bounds();
    const scale = Math.min(2, 8000 / (b.x2 - b.x1), 8000 / (b.y2 - b.y1));
    const canvas = document.createElement("canvas");
    canvas.width = Math.ceil((b.x2 - b.x1) * scale);
    canvas.height = Math.ceil((b.y2 - b.y1) * scale);
    this.paint(canvas.getContext("2d"), canvas.width, canvas.height, { zoom: scale, x: -b.x1 * scale, y: -b.y1 * scale });
    return canvas.toDataURL("image/png");
  }

  picture() {
    const nodes = this.data.nodes;
    return {
      box: this.bounds(),
      groups: this.groups.map((g) => ({ x: g.x, y: g.y, label: g.label })),
      edges: this.data.edges.map((e, k) => ({ id: e.id, relation: e.relation, status: e.status, s: this.places[this.ends[k][0]], t: this.places[this.ends[k][1]] })),
      nodes: this.places.map((p) => {
        const n = nodes[p.node];
        return { claim: n.id, copy: p.copy, x: p.x, y: p.y, w: SIZE, h: SIZE, colour: this.colourOf(n), stance: n.stance, status: n.status, label: n.label };
      }),
    };
  }

  resize() {
    this.render();
  }

  destroy() {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.canvas.remove();
  }
}
