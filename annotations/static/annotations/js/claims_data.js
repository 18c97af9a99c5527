// The reader's claims as the page receives them (annotations/reader_data.py, documented in docs/frontend.md):
// short arrays with indexes into word tables, decoded here into plain objects once.

import { pagesOf } from "./pages.js";

export function decodeClaims(data) {
  const word = (table, i) => (i >= 0 ? data[table][i] : null);
  const placed = data.claims.map(([id, start, end, status, stance, tags, statement, speaker, by]) => ({
    id,
    start,
    end,
    status: word("statuses", status),
    stance: word("stances", stance),
    tags: tags.map((i) => data.tags[i]),
    statement,
    speaker: word("people", speaker),
    createdBy: word("people", by),
    pages: pagesOf(start, end, data.pages),
  }));
  const unplaced = data.unplaced.map(([id, status, statement, quote, by]) => ({
    id,
    status: word("statuses", status),
    statement,
    quote,
    createdBy: word("people", by),
    unplaced: true,
  }));
  return { placed, unplaced };
}

// The claims embedded in the page (json_script "reader-claims").
export function pageClaims() {
  return decodeClaims(JSON.parse(document.getElementById("reader-claims").textContent));
}
