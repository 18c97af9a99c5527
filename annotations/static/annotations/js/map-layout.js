// Where the argument map puts its nodes without cytoscape's quadratic layouts: blocks by group in linear time,
// and a frame computed from positions alone.

import { colourKey } from "./map-style.js";

function groupKey(node, by) {
  if (by === "tag") return node.tags[0] || "(untagged)";
  return colourKey(node, by);
}

// A grouped layout in linear time: each group a square block of nodes (sorted by stance), blocks in rows.
export function groupedPositions(nodes, by) {
  const groups = new Map();
  for (const n of nodes) {
    const key = groupKey(n, by);
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(n);
  }
  const step = 46;
  const blocks = [...groups.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([key, members]) => {
    const order = { affirms: 0, qualifies: 1, denies: 2 };
    members.sort((a, b) => order[a.stance] - order[b.stance] || a.paper.localeCompare(b.paper));
    const cols = Math.max(1, Math.ceil(Math.sqrt(members.length)));
    return { key, members, cols, rows: Math.ceil(members.length / cols) };
  });
  const area = blocks.reduce((sum, b) => sum + (b.cols + 2) * (b.rows + 2), 0);
  const maxWidth = Math.max(8, Math.ceil(Math.sqrt(area) * 1.4)) * step;
  const positions = {};
  const labels = [];
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  for (const block of blocks) {
    const width = (block.cols + 2) * step;
    if (x > 0 && x + width > maxWidth) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    labels.push({ id: `group:${block.key}`, label: block.key, x, y });
    block.members.forEach((n, i) => {
      positions[n.id] = { x: x + (i % block.cols) * step, y: y + step + Math.floor(i / block.cols) * step };
    });
    x += width;
    rowHeight = Math.max(rowHeight, (block.rows + 2.5) * step);
  }
  return { positions, labels };
}

// cy.fit() measures every label to find the bounding box (seconds for thousands of nodes); node positions
// are enough to frame the graph.
export function fitView(cy, eles = cy.nodes(), padding = 40) {
  if (!eles.length) return;
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  eles.forEach((node) => {
    const { x, y } = node.position();
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  });
  const width = Math.max(maxX - minX, 1) + 60;
  const height = Math.max(maxY - minY, 1) + 60;
  const zoom = Math.min(Math.max(Math.min((cy.width() - 2 * padding) / width, (cy.height() - 2 * padding) / height), cy.minZoom()), 2);
  cy.viewport({ zoom, pan: { x: cy.width() / 2 - zoom * (minX + maxX) / 2, y: cy.height() / 2 - zoom * (minY + maxY) / 2 } });
}
