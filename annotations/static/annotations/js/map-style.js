// How the argument map looks: colours by author or paper, shapes by stance, lines by relation (each link
// labelled with it), and the Cytoscape style sheet of the graphs it draws (below 600 claims; larger maps are
// painted by map-canvas.js with the same colours).

const PALETTE = [
  "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
  "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd", "#e6550d", "#31a354", "#756bb1", "#636363",
];
export const SHAPES = { affirms: "ellipse", denies: "diamond", qualifies: "round-rectangle" };
export const RELATIONS = {
  supports: { colour: "#1a9850", text: "#146c39", line: "solid", arrow: "triangle" },
  conflicts: { colour: "#d73027", text: "#a51d16", line: "dashed", arrow: "tee" },
  restates: { colour: "#878787", text: "#555555", line: "dotted", arrow: "circle" },
};

export function colourKey(node, by) {
  if (by === "paper") return node.paper;
  return node.authors.length ? node.authors.join(" & ") : node.paper;
}

export function palette(keys) {
  const colours = new Map();
  [...new Set(keys)].sort().forEach((key, i) => colours.set(key, PALETTE[i % PALETTE.length]));
  return colours;
}

export const LABEL_FONT = 11;
export const LABEL_WIDTH = 150;

export function style() {
  return [
    {
      selector: "node.claim",
      style: {
        "background-color": "data(colour)",
        shape: "data(shape)",
        width: 22,
        height: 22,
        label: "data(label)",
        "font-size": LABEL_FONT,
        "text-wrap": "wrap",
        "text-max-width": LABEL_WIDTH,
        "text-valign": "bottom",
        "text-margin-y": 3,
        color: "#222",
        // Labels vanish when they would be drawn smaller than this: zoomed out, the graph stays legible.
        "min-zoomed-font-size": 7,
      },
    },
    // The same claim again, in the block of its other tags (grouped by tag): a double border says so.
    { selector: "node.copy", style: { "border-width": 4, "border-style": "double", "border-color": "#333" } },
    { selector: 'node.claim[status = "pending"]', style: { "border-width": 2, "border-style": "dashed", "border-color": "#555" } },
    { selector: "node.claim:selected, node.claim.picked", style: { "border-width": 4, "border-color": "#000", "border-style": "solid" } },
    {
      selector: "node.group-label",
      style: {
        label: "data(label)", "background-opacity": 0, "font-size": 16, "font-weight": "bold", color: "#444",
        "text-valign": "center", "text-halign": "right", width: 1, height: 1, events: "no",
      },
    },
    {
      selector: "edge",
      style: {
        width: 1.5,
        "line-color": "data(colour)",
        "line-style": "data(line)",
        "target-arrow-color": "data(colour)",
        "target-arrow-shape": "data(arrow)",
        "curve-style": "bezier",
        opacity: 0.8,
        // Each link says its relation along the line.
        label: "data(relation)",
        "font-size": 9,
        color: "data(text)",
        "text-rotation": "autorotate",
        "text-background-color": "#ffffff",
        "text-background-opacity": 0.85,
        "text-background-padding": 1,
        "min-zoomed-font-size": 6,
      },
    },
    // Pending links (counted only with "include pending") are faint and hollow-headed.
    { selector: 'edge[status = "pending"]', style: { opacity: 0.45, "target-arrow-fill": "hollow" } },
    { selector: "edge:selected", style: { width: 4, opacity: 1 } },
    { selector: ".faded", style: { opacity: 0.12 } },
    { selector: "node.match", style: { "border-width": 3, "border-color": "#f0b400", "border-style": "solid" } },
  ];
}

// Cytoscape's elements for the map's answer, with the node colours by `colourBy` (author or paper).
export function elements(data, colourBy) {
  const colours = palette(data.nodes.map((n) => colourKey(n, colourBy)));
  const nodes = data.nodes.map((n) => ({
    group: "nodes",
    classes: "claim",
    data: {
      id: n.id, claim: n.id, label: n.label, stance: n.stance, status: n.status,
      shape: SHAPES[n.stance] || "ellipse", colour: colours.get(colourKey(n, colourBy)),
    },
  }));
  const edges = data.edges.map((e) => ({
    group: "edges",
    data: {
      id: e.id, source: e.source, target: e.target, relation: e.relation, status: e.status, colour: RELATIONS[e.relation].colour,
      text: RELATIONS[e.relation].text,
      line: RELATIONS[e.relation].line, arrow: RELATIONS[e.relation].arrow,
    },
  }));
  return { nodes, edges, colours };
}
