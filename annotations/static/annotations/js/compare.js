// The stance matrix: tags x authors (or speakers, or papers) from GET /api/v1/compare/; a cell opens the
// quotes behind it, contested rows are marked, and the disagreements list shows both quotes of each pair.

import { fetchJSON, el, readerUrl } from "./discourse-common.js";

const table = document.querySelector("[data-stance-matrix]");
const form = document.querySelector("[data-compare-filters]");
const status = document.querySelector("[data-compare-status]");
const quotes = document.querySelector("[data-quotes]");
const disagreementList = document.querySelector("[data-disagreements-list]");
const disagreementCount = document.querySelector("[data-disagreements-count]");
const downloads = document.querySelector("[data-network-downloads]");
const FILTERS = ["by", "paper", "status"];
const STANCES = ["affirms", "denies", "qualifies"];

let matrix = null;
let pending = null; // the request in flight: a newer choice aborts it

// Balance -1 (all deny) .. +1 (all affirm): red to blue, stronger as the balance is clearer.
function cellColour(cell) {
  if (!cell.total) return "";
  const b = cell.balance;
  if (b === 0) return "rgb(236, 236, 236)";
  const [r, g, bl] = b > 0 ? [33, 102, 172] : [178, 24, 43];
  return `rgba(${r}, ${g}, ${bl}, ${(0.15 + 0.6 * Math.abs(b)).toFixed(2)})`;
}

function params() {
  const p = new URLSearchParams();
  for (const name of FILTERS) if (form.elements[name].value) p.set(name, form.elements[name].value);
  return p;
}

function quoteBlock(claim, extra = null) {
  return el("div", { class: `quote-card stance-${claim.stance}`, "data-claim-id": claim.id },
    el("blockquote", { class: "quote" }, claim.exact),
    el("p", { class: "statement" }, claim.statement),
    el("p", { class: "meta" },
      `${claim.stance} · ${claim.actors.join("; ") || claim.authors.join("; ")}${claim.speaker ? ` (quoted in ${claim.paper})` : ""} · `,
      el("a", { href: readerUrl(claim.paper, claim.id) }, `${claim.paper} — open in the reader`),
      extra));
}

function openCell(row, column) {
  const cell = row.cells[column];
  quotes.replaceChildren(
    el("h2", {}, `${matrix.columns[column].label} on ${row.tag}`),
    el("p", { class: "hint" }, row.name),
    el("button", { type: "button", class: "close", "data-close-quotes": "" }, "Close"),
  );
  for (const stance of STANCES) {
    const ids = cell.claims.filter((id) => matrix.claims[id].stance === stance);
    if (!ids.length) continue;
    quotes.append(el("h3", { class: `stance-${stance}` }, `${stance} (${ids.length})`), ...ids.map((id) => quoteBlock(matrix.claims[id])));
  }
  quotes.querySelector("[data-close-quotes]").addEventListener("click", () => { quotes.hidden = true; });
  quotes.hidden = false;
  quotes.dataset.tag = row.tag;
  quotes.dataset.column = matrix.columns[column].key;
  for (const active of table.querySelectorAll("button.cell.active")) active.classList.remove("active");
  table.querySelector(`button.cell[data-row="${matrix.rows.indexOf(row)}"][data-col="${column}"]`)?.classList.add("active");
}

function renderTable() {
  const head = el("tr", {}, el("th", { scope: "col" }, "Tag"));
  for (const column of matrix.columns) {
    head.append(el("th", { scope: "col", "data-column": column.key, title: `${column.claims} claims` }, column.label, el("small", {}, ` ${column.claims}`)));
  }
  table.tHead.replaceChildren(head);
  const body = [];
  matrix.rows.forEach((row, r) => {
    const depth = row.parent ? 1 : 0;
    const th = el("th", { scope: "row", title: row.name, class: depth ? "child" : "" }, row.tag);
    if (row.contested) th.append(el("span", { class: "contested-mark", title: "Columns lean opposite ways on this tag" }, " ≠"));
    const tr = el("tr", { "data-tag": row.tag, "data-contested": row.contested ? "true" : "false", class: row.contested ? "contested" : "" }, th);
    row.cells.forEach((cell, c) => {
      const td = el("td", {});
      if (cell.total) {
        const button = el("button", {
          type: "button", class: "cell", "data-cell": "", "data-row": r, "data-col": c, "data-tag": row.tag,
          "data-column": matrix.columns[c].key, "data-total": cell.total,
          title: `${cell.affirms} affirm, ${cell.denies} deny, ${cell.qualifies} qualify`,
        },
        el("span", { class: "aff" }, cell.affirms ? `+${cell.affirms}` : ""),
        el("span", { class: "den" }, cell.denies ? `−${cell.denies}` : ""),
        el("span", { class: "qual" }, cell.qualifies ? `~${cell.qualifies}` : ""));
        button.style.backgroundColor = cellColour(cell);
        if (Math.abs(cell.balance) > 0.6) button.classList.add("strong");
        button.addEventListener("click", () => openCell(row, c));
        td.append(button);
      }
      tr.append(td);
    });
    body.push(tr);
  });
  table.tBodies[0].replaceChildren(...body);
}

function renderDisagreements() {
  disagreementCount.textContent = matrix.disagreements_total
    ? `${matrix.disagreements_total} disagreement${matrix.disagreements_total === 1 ? "" : "s"}${matrix.disagreements.length < matrix.disagreements_total ? `, the first ${matrix.disagreements.length} listed` : ""}.`
    : "No disagreements between different actors in this selection.";
  disagreementList.replaceChildren(...matrix.disagreements.map((d) => {
    const a = matrix.claims[d.a];
    const b = matrix.claims[d.b];
    const why = d.kind === "link" ? "conflicts link" : `opposite stances on ${d.tag}`;
    return el("li", { class: `disagreement kind-${d.kind}`, "data-kind": d.kind },
      el("p", { class: "why" }, why),
      el("div", { class: "pair" }, quoteBlock(a), el("span", { class: "versus" }, "vs"), quoteBlock(b)));
  }));
}

function updateDownloads() {
  const p = params();
  for (const link of downloads.querySelectorAll("a[data-kind]")) {
    link.href = `${downloads.dataset.api}${link.dataset.kind}.${link.dataset.format}${p.size ? `?${p}` : ""}`;
  }
}

async function load() {
  table.dataset.state = "loading";
  status.textContent = "Loading…";
  const p = params();
  history.replaceState(null, "", `${location.pathname}${p.size ? `?${p}` : ""}`);
  updateDownloads();
  pending?.abort();
  const request = new AbortController();
  pending = request;
  let answer = null;
  try {
    answer = await fetchJSON(`${table.dataset.api}?${p}`, request.signal);
  } catch (error) {
    if (request.signal.aborted) return;
    table.dataset.state = "error";
    status.textContent = error.message;
    return;
  }
  if (request.signal.aborted) return; // a newer choice of filters is on its way
  matrix = answer;
  quotes.hidden = true;
  renderTable();
  renderDisagreements();
  const contested = matrix.rows.filter((row) => row.contested).length;
  status.textContent = `${matrix.rows.length} tags × ${matrix.columns.length} ${matrix.by}s; ${contested} contested.${matrix.excluded ? ` ${matrix.excluded} claims fall in no cell (untagged${matrix.by === "author" ? ", or a quoted speaker's" : ""}).` : ""}`;
  table.dataset.state = "ready";
}

const initial = new URLSearchParams(location.search);
for (const name of FILTERS) if (initial.has(name)) form.elements[name].value = initial.get(name);
form.addEventListener("submit", (event) => event.preventDefault());
for (const name of FILTERS) form.elements[name].addEventListener("change", load);
load();
