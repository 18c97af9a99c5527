// Highlights painted with the CSS Custom Highlight API: ranges over the verbatim text, grouped into a few
// named Highlights (by first tag or by stance, by status, the active claim; the claims a filter leaves out in
// one faint "claims-dimmed"), so the DOM of the text is never split. Within one Highlight overlapping ranges paint alike, so each group registers the union of its
// claims' passages: thousands of overlapping claims become a few hundred ranges for the browser to paint.

import { offsetsToRange } from "./offsets.js";

// Claim id → {claim, range}: the claims of the last paint, in text order; a claim's own range is made
// when first asked for (rangeOf). Tests and other modules read it.
export const painted = new Map();
const supported = typeof CSS !== "undefined" && "highlights" in CSS && typeof Highlight === "function";
let container = null;

export function rangeOf(id) {
  const entry = painted.get(id);
  if (!entry) return null;
  if (entry.range === undefined) entry.range = offsetsToRange(container, entry.claim.start, entry.claim.end);
  return entry.range;
}

// The claims covering code point `offset`, outermost first (earlier start, then longer).
export function claimsAt(offset) {
  const found = [];
  for (const { claim } of painted.values()) {
    if (claim.start > offset) break; // in text order
    if (offset < claim.end) found.push(claim);
  }
  return found.sort((a, b) => a.start - b.start || b.end - a.end || (a.id < b.id ? -1 : 1));
}

// Add [start, end) to a group's union, the intervals coming in order of start.
function add(groups, name, start, end) {
  let spans = groups.get(name);
  if (!spans) groups.set(name, (spans = []));
  const last = spans[spans.length - 1];
  if (last && start <= last[1]) last[1] = Math.max(last[1], end);
  else spans.push([start, end]);
}

export class Painter {
  // colourBy() says "tag" or "stance".
  constructor(text, { colourBy }) {
    this.container = text;
    this.colourBy = colourBy;
    this.activeId = null;
    this.names = [];
    this.shown = null;
  }

  get supported() {
    return supported;
  }

  // claims: in text order, each {id, start, end, status, stance, tags}.
  paint(claims) {
    container = this.container;
    painted.clear();
    for (const claim of claims) if (claim.start < claim.end) painted.set(claim.id, { claim, range: undefined });
    this.register();
    this.container.dataset.paintedClaims = supported ? String(painted.size) : "0";
  }

  // (Re)build the named Highlights: after a paint or a change of colouring. Earlier ones are replaced.
  register() {
    if (!supported) return;
    const byStance = this.colourBy() === "stance";
    const groups = new Map();
    let dimmed = 0;
    for (const { claim } of painted.values()) {
      if (this.shown && !this.shown(claim)) {
        add(groups, "claims-dimmed", claim.start, claim.end);
        dimmed++;
        continue;
      }
      const colour = byStance ? `stance-${claim.stance}` : claim.tags.length ? `tag-${claim.tags[0]}` : "claims-untagged";
      add(groups, colour, claim.start, claim.end);
      if (claim.status === "pending" || claim.status === "rejected") add(groups, `status-${claim.status}`, claim.start, claim.end);
    }
    // Only this painter's highlights go: other modules may register their own (find-in-paper).
    for (const name of this.names || []) CSS.highlights.delete(name);
    this.names = [...groups.keys()];
    for (const [name, spans] of groups) {
      const ranges = spans.map(([start, end]) => offsetsToRange(this.container, start, end)).filter(Boolean);
      const highlight = new Highlight(...ranges);
      if (name === "claims-dimmed") highlight.priority = -1; // under the colours of the claims shown
      CSS.highlights.set(name, highlight);
    }
    this.container.dataset.dimmedClaims = String(dimmed);
    this.setActive(this.activeId);
  }

  // shown(claim): whether a claim is shown in full (the panel's filter); the others are dimmed. null: all shown.
  setShown(shown) {
    if (!shown && !this.shown) return;
    this.shown = shown;
    this.register();
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
