// Highlights painted with the CSS Custom Highlight API: one Range per claim over the verbatim text, grouped
// into a few named Highlights (by first tag or by stance, by status, the active claim), so the DOM of the
// text is never split and a paper with thousands of claims costs a few thousand Range objects.

import { offsetsToRange } from "./offsets.js";

// Claim id → {claim, range}: the last paint. Tests and other modules read it (rangeOf, claimsAt).
export const painted = new Map();
const supported = typeof CSS !== "undefined" && "highlights" in CSS && typeof Highlight === "function";

export function rangeOf(id) {
  const entry = painted.get(id);
  return entry ? entry.range : null;
}

// The claims covering code point `offset`, outermost first (earlier start, then longer), as the claims
// are sorted in the page's data.
export function claimsAt(offset) {
  const found = [];
  for (const { claim } of painted.values()) {
    if (claim.start > offset) break;
    if (offset < claim.end) found.push(claim);
  }
  return found.sort((a, b) => a.start - b.start || b.end - a.end || (a.id < b.id ? -1 : 1));
}

function add(groups, name, range) {
  let group = groups.get(name);
  if (!group) groups.set(name, (group = []));
  group.push(range);
}

export class Painter {
  // colourBy() says "tag" or "stance"; onPainted(count) after every paint.
  constructor(container, { colourBy, onPainted }) {
    this.container = container;
    this.colourBy = colourBy;
    this.onPainted = onPainted;
    this.activeId = null;
  }

  get supported() {
    return supported;
  }

  paint(claims) {
    painted.clear();
    for (const claim of claims) {
      const range = offsetsToRange(this.container, claim.start, claim.end);
      if (range) painted.set(claim.id, { claim, range });
    }
    this.register();
    this.container.dataset.paintedClaims = supported ? String(painted.size) : "0";
    if (this.onPainted) this.onPainted(painted.size);
  }

  // (Re)build the named Highlights from the painted ranges: after a paint, a change of colouring or of the
  // active claim. Earlier highlights are replaced, never added to.
  register() {
    if (!supported) return;
    const byStance = this.colourBy() === "stance";
    const groups = new Map();
    for (const { claim, range } of painted.values()) {
      if (byStance) add(groups, `stance-${claim.stance}`, range);
      else add(groups, claim.tags.length ? `tag-${claim.tags[0]}` : "claims-untagged", range);
      if (claim.status === "pending" || claim.status === "rejected") add(groups, `status-${claim.status}`, range);
    }
    CSS.highlights.clear();
    for (const [name, ranges] of groups) CSS.highlights.set(name, new Highlight(...ranges));
    this.setActive(this.activeId);
  }

  setActive(id) {
    this.activeId = id;
    if (!supported) return;
    const range = id ? rangeOf(id) : null;
    if (range) {
      const active = new Highlight(range);
      active.priority = 10;
      CSS.highlights.set("claim-active", active);
    } else {
      CSS.highlights.delete("claim-active");
    }
  }
}
