// A force-directed layout for large graphs: Fruchterman-Reingold with the repulsion computed only between
// nodes in neighbouring cells of a grid, so each iteration costs O(nodes + edges) instead of cytoscape
// cose's O(nodes^2). Deterministic (seeded), so the same graph is drawn the same way each time.

function seeded(seed) {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}

const SPAN = 1 << 16;
const HALF = 1 << 15;
const cellKey = (gx, gy) => (gx + HALF) * SPAN + (gy + HALF);
const HALF_STENCIL = [[1, -1], [1, 0], [1, 1], [0, 1]];

// ids: node ids; links: [sourceId, targetId] pairs; returns {id: {x, y}}.
export function forcePositions(ids, links, { iterations = 120, distance = 45, seed = 6 } = {}) {
  const n = ids.length;
  const index = new Map(ids.map((id, i) => [id, i]));
  const random = seeded(seed);
  const side = Math.sqrt(Math.max(n, 1)) * distance * 1.6;
  const x = new Float64Array(n).map(() => random() * side);
  const y = new Float64Array(n).map(() => random() * side);
  const dx = new Float64Array(n);
  const dy = new Float64Array(n);
  const pairs = [];
  for (const [s, t] of links) {
    const a = index.get(s);
    const b = index.get(t);
    if (a !== undefined && b !== undefined && a !== b) pairs.push(a, b);
  }
  const k = distance;
  const k2 = k * k;
  const cell = 2 * k;
  let temperature = side / 8;
  const cooling = temperature / (iterations + 1);
  for (let iteration = 0; iteration < iterations; iteration++) {
    dx.fill(0);
    dy.fill(0);
    const grid = new Map();
    for (let i = 0; i < n; i++) {
      const key = cellKey(Math.floor(x[i] / cell), Math.floor(y[i] / cell));
      if (!grid.has(key)) grid.set(key, []);
      grid.get(key).push(i);
    }
    const repel = (i, j) => {
      let ex = x[i] - x[j];
      let ey = y[i] - y[j];
      let d2 = ex * ex + ey * ey;
      if (d2 === 0) {
        ex = random() - 0.5;
        ey = random() - 0.5;
        d2 = ex * ex + ey * ey;
      }
      if (d2 > cell * cell) return;
      const f = k2 / d2; // (k^2 / d) / d: the unit vector folded in
      dx[i] += ex * f;
      dy[i] += ey * f;
      dx[j] -= ex * f;
      dy[j] -= ey * f;
    };
    for (const [key, members] of grid) {
      const cx = Math.floor(key / SPAN) - HALF;
      const cy = (key % SPAN) - HALF;
      for (let a = 0; a < members.length; a++) {
        for (let b = a + 1; b < members.length; b++) repel(members[a], members[b]);
      }
      // Half of the neighbouring cells, so that each pair of cells is visited once.
      for (const [ox, oy] of HALF_STENCIL) {
        const others = grid.get(cellKey(cx + ox, cy + oy));
        if (!others) continue;
        for (const i of members) for (const j of others) repel(i, j);
      }
    }
    for (let p = 0; p < pairs.length; p += 2) {
      const a = pairs[p];
      const b = pairs[p + 1];
      const ex = x[a] - x[b];
      const ey = y[a] - y[b];
      const d = Math.sqrt(ex * ex + ey * ey) || 0.01;
      const f = d / k; // (d^2 / k) / d
      dx[a] -= ex * f;
      dy[a] -= ey * f;
      dx[b] += ex * f;
      dy[b] += ey * f;
    }
    const centre = side / 2;
    for (let i = 0; i < n; i++) {
      // A little gravity keeps unconnected pieces from drifting away.
      dx[i] += (centre - x[i]) * 0.02;
      dy[i] += (centre - y[i]) * 0.02;
      const d = Math.sqrt(dx[i] * dx[i] + dy[i] * dy[i]) || 1;
      const step = Math.min(d, temperature);
      x[i] += (dx[i] / d) * step;
      y[i] += (dy[i] / d) * step;
    }
    temperature = Math.max(temperature - cooling, 1);
  }
  const positions = {};
  ids.forEach((id, i) => {
    positions[id] = { x: x[i], y: y[i] };
  });
  return positions;
}
