// The argument map's data as the drawing code reads it, whatever shape GET /api/v1/map/ answered: nodes
// {id, paper, authors, stance, status, tags, speaker, label} and edges {id, source, target, relation, status}.
// The compact shape (the page's first payload) has no quotes nor statements: `claimDetails` fetches them when a
// claim is opened, from GET /api/v1/claims/{id}/, once per claim.

import { oneLine, truncate } from "./dom.js";
import { getJSON } from "./http.js";

export const LABEL_LENGTH = 80;

function fromCompact(body) {
  const column = Object.fromEntries(body.node_columns.map((name, i) => [name, i]));
  const nodes = body.nodes.map((row) => {
    const paper = body.papers[row[column.paper]];
    const speaker = row[column.speaker];
    return {
      id: row[column.id], paper: paper.slug, authors: paper.authors, stance: body.stances[row[column.stance]],
      status: body.statuses[row[column.status]], tags: row[column.tags].map((i) => body.tags[i]),
      speaker: speaker === null ? null : body.speakers[speaker], label: row[column.label],
    };
  });
  const edges = body.edges.map(([source, target, relation, status], i) => ({
    id: `e${i}`, source: nodes[source].id, target: nodes[target].id, relation: body.relations[relation], status: body.statuses[status],
  }));
  return { nodes, edges, counted: body.counted };
}

function fromFull(body) {
  const nodes = body.nodes.map((n) => ({ ...n, label: truncate(oneLine(n.statement), LABEL_LENGTH) }));
  return { nodes, edges: body.edges, counted: body.counted };
}

export function decodeMap(body) {
  return body.shape === "compact" ? fromCompact(body) : fromFull(body);
}

// The part of `data` made of the claims in `ids` and the links between them.
export function keepClaims(data, ids) {
  const kept = new Set(ids);
  return {
    ...data,
    nodes: data.nodes.filter((n) => kept.has(n.id)),
    edges: data.edges.filter((e) => kept.has(e.source) && kept.has(e.target)),
  };
}

// claimDetails(url)(id) -> the claim as GET claims/{id}/ answers it (quote in target.exact), fetched once.
export function claimDetails(collectionUrl) {
  const cache = new Map();
  return (id) => {
    if (!cache.has(id)) {
      const pending = getJSON(`${collectionUrl}${id}/`);
      pending.catch(() => cache.delete(id)); // a failure is not remembered: opening again retries
      cache.set(id, pending);
    }
    return cache.get(id);
  };
}
