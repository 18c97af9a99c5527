// Where the argument map puts its nodes without cytoscape's quadratic layouts: blocks by group in linear time
// (a claim with several tags in the block of each, grouped by tag), labels pushed apart so none overlaps, and a
// frame computed from positions alone.

import { colourKey } from "./map-style.js";

function groupKeys(node, by) {
  if (by === "tag") return node.tags.length ? node.tags : ["(untagged)"];
  return [colourKey(node, by)];
}

// The id of a claim's copy in the block of its tag `key` (its first block keeps the claim's own id).
export const copyId = (claimId, key) => `${claimId}@${key}`;

// A grouped layout in linear time: each group a block of nodes (sorted by stance), blocks in rows. `step` is
// the room of one node ({x, y}: wide enough for its label on a small map). Grouped by tag, a claim goes in the
// block of each of its tags: `copies` are the extra places, [{id, claim, key, x, y}]. Each place says its
// block's `key`.
export function groupedPositions(nodes, by, step = { x: 46, y: 46 }) {
  const groups = new Map();
  for (const n of nodes) {
    for (const key of groupKeys(n, by)) {
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(n);
    }
  }
  const order = { affirms: 0, qualifies: 1, denies: 2 };
  const blocks = [...groups.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([key, members]) => {
    members.sort((a, b) => order[a.stance] - order[b.stance] || a.paper.localeCompare(b.paper));
    // Blocks about as tall as wide on the screen, whatever the step's proportions.
    const cols = Math.max(1, Math.ceil(Math.sqrt((members.length * step.y) / step.x)));
    return { key, members, cols, rows: Math.ceil(members.length / cols) };
  });
  const area = blocks.reduce((sum, b) => sum + (b.cols + 1) * step.x * (b.rows + 2) * step.y, 0);
  const maxWidth = Math.max(8 * step.x, Math.sqrt(area) * 1.4);
  const positions = {};
  const copies = [];
  const labels = [];
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  for (const block of blocks) {
    const width = (block.cols + 1) * step.x;
    if (x > 0 && x + width > maxWidth) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    labels.push({ id: `group:${block.key}`, label: block.key, x: x - step.x / 2 + 23, y });
    block.members.forEach((n, i) => {
      const place = { x: x + (i % block.cols) * step.x, y: y + step.y * 0.8 + Math.floor(i / block.cols) * step.y };
      if (positions[n.id]) copies.push({ id: copyId(n.id, block.key), claim: n.id, key: block.key, ...place });
      else positions[n.id] = { ...place, key: block.key };
    });
    x += width;
    rowHeight = Math.max(rowHeight, (block.rows + 1.5) * step.y);
  }
  return { positions, labels, copies };
}

// Push apart boxes ({x, y: centre, w, h}) until none overlaps (or `rounds` passes): each overlapping pair moves
// apart along the axis where they overlap least, half each. A grid of cells as large as the largest box keeps
// each pass linear in the boxes. Moves the boxes in place; returns how many pairs still overlap.
export function separate(boxes, { gap = 4, rounds = 60 } = {}) {
  if (boxes.length < 2) return 0;
  const cell = Math.max(...boxes.map((b) => Math.max(b.w, b.h))) + gap;
  let overlaps = 0;
  for (let round = 0; round < rounds; round++) {
    const grid = new Map();
    boxes.forEach((b, i) => {
      const key = `${Math.floor(b.x / cell)},${Math.floor(b.y / cell)}`;
      if (!grid.has(key)) grid.set(key, []);
      grid.get(key).push(i);
    });
    overlaps = 0;
    boxes.forEach((a, i) => {
      const gx = Math.floor(a.x / cell);
      const gy = Math.floor(a.y / cell);
      for (let ox = -1; ox <= 1; ox++) {
        for (let oy = -1; oy <= 1; oy++) {
          for (const j of grid.get(`${gx + ox},${gy + oy}`) || []) {
            if (j <= i) continue;
            const b = boxes[j];
            const overX = (a.w + b.w) / 2 + gap - Math.abs(a.x - b.x);
            const overY = (a.h + b.h) / 2 + gap - Math.abs(a.y - b.y);
            if (overX <= 0 || overY <= 0) continue;
            overlaps++;
            if (overX < overY) {
              const push = (overX / 2) * (a.x < b.x || (a.x === b.x && i < j) ? -1 : 1);
              a.x += push;
              b.x -= push;
            } else {
              const push = (overY / 2) * (a.y < b.y || (a.y === b.y && i < j) ? -1 : 1);
              a.y += push;
              b.y -= push;
            }
          }
        }
      }
    });
    if (!overlaps) return 0;
  }
  return overlaps;
}

// cy.fit() measures every label to find the bounding box (seconds for thousands of nodes); node positions
// are enough to frame the graph. The zoom stays at least `minZoom` (labels legible), centred on the graph.
export function fitView(cy, eles = cy.nodes(), padding = 40, minZoom = cy.minZoom()) {
  if (!eles.length) return;
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  eles.forEach((node) => {
    const { x, y } = node.position();
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  });
  const width = Math.max(maxX - minX, 1) + 160;
  const height = Math.max(maxY - minY, 1) + 80;
  const fits = Math.min((cy.width() - 2 * padding) / width, (cy.height() - 2 * padding) / height);
  const zoom = Math.min(Math.max(fits, minZoom, cy.minZoom()), 1.5);
  cy.viewport({ zoom, pan: { x: cy.width() / 2 - zoom * (minX + maxX) / 2, y: cy.height() / 2 - zoom * (minY + maxY) / 2 } });
}
