// The argument map as lists, for the keyboard and screen readers: every claim and every link as a button, in
// step with the canvas (picking one here picks it there, and the other way round). Up/Down (and Home/End) move
// between the buttons of a list, Enter or Space picks. Built when first opened, a page of items at a time.

import { h as make } from "./dom.js";

const PAGE = 300;

export class MapList {
  // root: the <details> holding the lists; onPick({kind, id}) when the user picks an item.
  constructor(root, { onPick }) {
    this.root = root;
    this.onPick = onPick;
    this.data = { nodes: [], edges: [] };
    this.byId = new Map();
    this.picked = null;
    this.lists = {
      claim: { list: root.querySelector("[data-map-list-claims]"), count: root.querySelector("[data-map-list-claims-count]"), shown: 0 },
      link: { list: root.querySelector("[data-map-list-links]"), count: root.querySelector("[data-map-list-links-count]"), shown: 0 },
    };
    root.addEventListener("toggle", () => this.render());
    for (const { list } of Object.values(this.lists)) list.addEventListener("keydown", (event) => this.move(event));
  }

  show(data) {
    this.data = data;
    this.byId = new Map(data.nodes.map((n) => [n.id, n]));
    this.index = {
      claim: new Map(data.nodes.map((n, i) => [n.id, i])),
      link: new Map(data.edges.map((e, i) => [e.id, i])),
    };
    for (const part of Object.values(this.lists)) {
      part.list.replaceChildren();
      part.shown = 0;
    }
    this.lists.claim.count.textContent = `Claims (${data.nodes.length})`;
    this.lists.link.count.textContent = `Links (${data.edges.length})`;
    this.render();
  }

  label(id) {
    const n = this.byId.get(id);
    return n ? n.label || "(no statement)" : id;
  }

  claimItem(n) {
    const who = n.speaker ? `${n.speaker}, quoted in ${n.paper}` : `${n.authors.join(" & ") || n.paper}`;
    return this.item("claim", n.id, `${n.label || "(no statement)"} — ${n.stance}; ${who}; tags: ${n.tags.join(", ") || "none"}${n.status === "pending" ? "; pending" : ""}`);
  }

  linkItem(e) {
    return this.item("link", e.id, `${this.label(e.source)} — ${e.relation} → ${this.label(e.target)}${e.status === "pending" ? " (pending)" : ""}`);
  }

  item(kind, id, text) {
    const button = make("button", { type: "button", class: "map-list-item", "data-kind": kind, "data-id": id, "aria-pressed": "false" }, text);
    button.addEventListener("click", () => {
      this.mark(kind, id);
      this.onPick({ kind, id });
    });
    return make("li", {}, button);
  }

  // Render up to `upTo` items of each list (at least a page), and a "show more" button below the rest.
  render(upTo = { claim: 0, link: 0 }) {
    if (!this.root.open) return;
    const sources = { claim: [this.data.nodes, (n) => this.claimItem(n)], link: [this.data.edges, (e) => this.linkItem(e)] };
    for (const [kind, part] of Object.entries(this.lists)) {
      const [items, build] = sources[kind];
      const want = Math.min(items.length, Math.max(part.shown, PAGE, upTo[kind] + 1));
      if (want <= part.shown && part.list.querySelector(".more") === null) continue;
      part.list.querySelector(".more")?.remove();
      part.list.append(...items.slice(part.shown, want).map(build));
      part.shown = want;
      if (want < items.length) {
        const more = make("button", { type: "button" }, `Show ${Math.min(PAGE, items.length - want)} more of ${items.length - want}`);
        more.addEventListener("click", () => {
          this.render({ ...upTo, [kind]: part.shown + PAGE - 1 });
          part.list.querySelectorAll(".map-list-item")[want]?.focus();
        });
        part.list.append(make("li", { class: "more" }, more));
      }
    }
    if (this.picked) this.mark(this.picked.kind, this.picked.id);
  }

  // Show `id` as the picked item (from the canvas or from here), rendering it if it is further down.
  mark(kind, id) {
    this.picked = kind ? { kind, id } : null;
    for (const pressed of this.root.querySelectorAll('.map-list-item[aria-pressed="true"]')) pressed.setAttribute("aria-pressed", "false");
    if (!kind || !this.root.open) return;
    const at = this.index?.[kind]?.get(id);
    if (at === undefined) return;
    if (at >= this.lists[kind].shown) this.render({ claim: 0, link: 0, [kind]: at });
    const button = this.lists[kind].list.querySelector(`.map-list-item[data-id="${CSS.escape(id)}"]`);
    if (!button) return;
    button.setAttribute("aria-pressed", "true");
    button.scrollIntoView({ block: "nearest" });
  }

  move(event) {
    const keys = { ArrowDown: 1, ArrowUp: -1, Home: -Infinity, End: Infinity };
    if (!(event.key in keys) || !event.target.matches(".map-list-item")) return;
    event.preventDefault();
    const buttons = [...event.currentTarget.querySelectorAll(".map-list-item")];
    const at = buttons.indexOf(event.target);
    const step = keys[event.key];
    const next = Number.isFinite(step) ? Math.max(0, Math.min(buttons.length - 1, at + step)) : (step < 0 ? 0 : buttons.length - 1);
    buttons[next].focus();
  }
}
