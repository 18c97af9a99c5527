// The whole argument graph as an SVG document, from a picture of it (positions and looks, from Cytoscape or from
// the large-graph canvas): each claim a shape of its stance and colour with its label wrapped under it (a
// <g data-claim-id>), each link a line of its relation's colour and dashes with its relation written along it.
// Text is escaped; nothing of the page's DOM is copied.

import { LABEL_FONT, LABEL_WIDTH, RELATIONS } from "./map-style.js";

const escapeXml = (text) => String(text).replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
const round = (n) => Math.round(n * 10) / 10;
const DASHES = { solid: "", dashed: ' stroke-dasharray="6 3"', dotted: ' stroke-dasharray="1.5 3"' };

// Words into lines of at most `width` pixels, measured roughly (0.55 em a character).
function wrap(text, width = LABEL_WIDTH, font = LABEL_FONT) {
  const perLine = Math.max(4, Math.floor(width / (font * 0.55)));
  const lines = [];
  let line = "";
  for (const word of String(text).split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > perLine) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

function shape(node) {
  const { x, y, w, h } = node;
  const fill = node.colour || "#888";
  const dashed = node.status === "pending" ? ' stroke-dasharray="3 2"' : "";
  const stroke = `fill="${escapeXml(fill)}" stroke="#333" stroke-width="${node.copy ? 3 : 1}"${dashed}`;
  if (node.stance === "denies") {
    const points = [[x, y - h / 2], [x + w / 2, y], [x, y + h / 2], [x - w / 2, y]].map((p) => p.map(round).join(",")).join(" ");
    return `<polygon points="${points}" ${stroke}/>`;
  }
  if (node.stance === "qualifies") {
    return `<rect x="${round(x - w / 2)}" y="${round(y - h / 2)}" width="${round(w)}" height="${round(h)}" rx="4" ${stroke}/>`;
  }
  return `<ellipse cx="${round(x)}" cy="${round(y)}" rx="${round(w / 2)}" ry="${round(h / 2)}" ${stroke}/>`;
}

function nodeSvg(node) {
  const { x, y } = node;
  const lines = wrap(node.label || "");
  const top = y + node.h / 2 + 3 + LABEL_FONT;
  const text = lines.map((line, i) => `<tspan x="${round(x)}" y="${round(top + i * LABEL_FONT * 1.2)}">${escapeXml(line)}</tspan>`).join("");
  const copy = node.copy ? ` data-copy-of="${escapeXml(node.claim)}"` : "";
  return `<g class="claim" data-claim-id="${escapeXml(node.claim)}"${copy}><title>${escapeXml(node.label || "")}</title>`
    + `${shape(node)}<text text-anchor="middle" font-size="${LABEL_FONT}" fill="#222">${text}</text></g>`;
}

function edgeSvg(edge) {
  const { s, t } = edge;
  const relation = RELATIONS[edge.relation] || RELATIONS.supports;
  const faint = edge.status === "pending" ? ' opacity="0.45"' : "";
  const mx = (s.x + t.x) / 2;
  const my = (s.y + t.y) / 2;
  let angle = (Math.atan2(t.y - s.y, t.x - s.x) * 180) / Math.PI;
  if (angle > 90 || angle < -90) angle += 180; // text never upside down
  return `<g class="link" data-link-id="${escapeXml(edge.id)}" data-relation="${escapeXml(edge.relation)}"${faint}>`
    + `<line x1="${round(s.x)}" y1="${round(s.y)}" x2="${round(t.x)}" y2="${round(t.y)}" stroke="${relation.colour}" stroke-width="1.5"${DASHES[relation.line]} marker-end="url(#${escapeXml(edge.relation)})"/>`
    + `<text x="${round(mx)}" y="${round(my - 2)}" font-size="8" fill="${relation.text}" text-anchor="middle" transform="rotate(${round(angle)} ${round(mx)} ${round(my)})">${escapeXml(edge.relation)}</text></g>`;
}

function markers() {
  const m = (id, colour, body) => `<marker id="${id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">${body.replaceAll("C", colour)}</marker>`;
  return `<defs>${m("supports", RELATIONS.supports.colour, '<path d="M0,0 L10,5 L0,10 z" fill="C"/>')}`
    + `${m("conflicts", RELATIONS.conflicts.colour, '<path d="M8,0 L8,10" stroke="C" stroke-width="2.5"/>')}`
    + `${m("restates", RELATIONS.restates.colour, '<circle cx="5" cy="5" r="4" fill="C"/>')}</defs>`;
}

// picture: {box: {x1, y1, x2, y2} (labels included), groups: [{x, y, label}], edges: [{id, relation, status,
// s: {x, y}, t: {x, y}}], nodes: [{claim, copy, x, y, w, h, colour, stance, status, label}]}.
export function toSvg(picture) {
  const { box } = picture;
  const pad = 20;
  const [x, y, w, h] = [box.x1 - pad, box.y1 - pad, box.x2 - box.x1 + 2 * pad, box.y2 - box.y1 + 2 * pad].map(round);
  const groups = picture.groups.map((g) => `<text class="group" x="${round(g.x)}" y="${round(g.y)}" font-size="16" font-weight="bold" fill="#333">${escapeXml(g.label)}</text>`);
  return '<?xml version="1.0" encoding="UTF-8"?>\n'
    + `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${x} ${y} ${w} ${h}" width="${w}" height="${h}" font-family="sans-serif">`
    + `<title>Argument map</title>${markers()}<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="#ffffff"/>`
    + `${groups.join("")}${picture.edges.map(edgeSvg).join("")}${picture.nodes.map(nodeSvg).join("")}</svg>\n`;
}

// The picture of a graph drawn by Cytoscape.
export function cyPicture(cy) {
  const box = cy.elements().boundingBox({ includeLabels: true });
  return {
    box,
    groups: cy.nodes(".group-label").map((node) => ({ ...node.position(), label: node.data("label") })),
    edges: cy.edges().map((edge) => ({ id: edge.id(), relation: edge.data("relation"), status: edge.data("status"), s: edge.sourceEndpoint(), t: edge.targetEndpoint() })),
    nodes: cy.nodes(".claim").map((node) => ({
      claim: node.data("claim"), copy: node.hasClass("copy"), ...node.position(), w: node.width(), h: node.height(),
      colour: node.data("colour"), stance: node.data("stance"), status: node.data("status"), label: node.data("label"),
    })),
  };
}
