// The stance matrix: tags x actors (authors, co-authors, countries, affiliations, papers, years, decades or
// speakers) from GET /api/v1/compare/; a cell opens the quotes behind it (its actor's own claims, and apart the
// ones it reports), contested rows are marked, and the disagreements and agreements list each pair of claims
// once, with every reason and both quotes. A cell, or a tag's row, opens beside the matrix the argument graph
// of its claims and the links between them (map-graph.js, as on /map/) and the disagreements about the tag.

import { filterParams, filteredLoader, readerUrl, setField } from "./discourse-common.js";
import { h as el } from "./dom.js";
import { errorText, getJSON, pageUrl } from "./http.js";
import { decodeMap, keepClaims } from "./map-data.js";
import { ArgumentGraph, legendItems } from "./map-graph.js";
import { pageLabel } from "./pages.js";

const table = document.querySelector("[data-stance-matrix]");
const form = document.querySelector("[data-compare-filters]");
const status = document.querySelector("[data-compare-status]");
const countingRule = document.querySelector("[data-counting-rule]");
const quotes = document.querySelector("[data-quotes]");
const lists = {
  disagreements: {
    list: document.querySelector("[data-disagreements-list]"),
    count: document.querySelector("[data-disagreements-count]"),
    noun: "disagreement",
  },
  agreements: {
    list: document.querySelector("[data-agreements-list]"),
    count: document.querySelector("[data-agreements-count]"),
    noun: "agreement",
  },
};
const downloads = document.querySelector("[data-network-downloads]");
const FILTERS = ["project", "by", "paper", "include"];
const STANCES = ["affirms", "denies", "qualifies"];

let matrix = null;
let graph = null;
let opened = 0; // the latest cell or row opened: an older graph answer arriving late is dropped
const fetchMatrix = filteredLoader(table, status);

// Balance -1 (all deny) .. +1 (all affirm): red to blue, stronger as the balance is clearer.
function cellColour(cell) {
  if (!cell.total) return "";
  const b = cell.balance;
  if (b === 0) return "rgb(236, 236, 236)";
  const [r, g, bl] = b > 0 ? [33, 102, 172] : [178, 24, 43];
  // Light tints keep the dark counts at 4.5:1 contrast; a strong lean is the full colour under white text.
  const alpha = Math.abs(b) > 0.6 ? 1 : 0.08 + 0.3 * Math.abs(b);
  return `rgba(${r}, ${g}, ${bl}, ${alpha.toFixed(2)})`;
}

function params() {
  return filterParams(form, FILTERS);
}

function plural(n, noun) {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

// The stance a claim takes on one tag (a tag may carry its own); the claim's stance otherwise.
function stanceOn(claim, tag) {
  return (tag && claim.stances && claim.stances[tag]) || claim.stance;
}

function quoteBlock(claim, tag = null) {
  const stance = stanceOn(claim, tag);
  const voice = claim.reported ? `${claim.speaker}, reported by ${claim.actors.join("; ")}` : claim.actors.join("; ");
  return el("div", {
    class: `quote-card stance-${stance}${claim.status === "pending" ? " pending" : ""}${claim.reported ? " reported" : ""}`,
    "data-claim-id": claim.id, "data-status": claim.status,
  },
  el("blockquote", { class: "quote" }, claim.exact),
  el("p", { class: "statement" }, claim.statement),
  el("p", { class: "meta" },
    claim.status === "pending" ? el("span", { class: "pending-badge" }, "pending") : null,
    `${stance}${tag ? ` on ${tag}` : ""} · ${voice} · `,
    el("a", { href: readerUrl(table, claim.paper, claim.id) }, `${claim.paper}${claim.pages ? `, ${pageLabel(claim.pages)}` : ""} — open in the reader`)));
}

// The pairs of `kind` about `tag`: opposite (or same) stances on it, or a link between two claims that both carry
// it; with `ids`, only the pairs with a claim among them.
function pairsOfTag(kind, tag, ids = null) {
  return matrix[kind].filter((pair) => {
    if (ids && !pair.claims.some((id) => ids.has(id))) return false;
    return pair.reasons.some((reason) => (reason.kind === "stance" ? reason.tags.includes(tag)
      : pair.claims.every((id) => matrix.claims[id].tags.includes(tag))));
  });
}

function pairItem(pair, kind, tag) {
  const [a, b] = pair.claims.map((id) => matrix.claims[id]);
  const shownTag = tag ?? pair.reasons.find((reason) => reason.kind === "stance")?.tags[0] ?? null;
  const reasons = el("ul", { class: "why" }, ...pair.reasons.map((reason) =>
    el("li", { "data-reason": reason.kind }, reasonText(reason, kind))));
  return el("li", { class: `pair${pair.pending ? " pending" : ""}`, "data-reasons": pair.reasons.length, "data-pending": pair.pending ? "true" : "false" },
    reasons,
    el("div", { class: "pair-quotes" }, quoteBlock(a, shownTag), el("span", { class: "versus" }, kind === "disagreements" ? "vs" : "&"), quoteBlock(b, shownTag)));
}

// The panel beside the matrix: a title, the graph of `ids`, `sections`, and the disagreements about the tag.
function openPanel(title, hint, row, ids, sections) {
  const ticket = ++opened;
  graph?.destroy();
  graph = null;
  const canvas = el("div", { class: "compare-graph", "data-compare-graph": "", "data-state": "loading", role: "img",
    "aria-label": `Argument graph of the ${ids.size} claims shown below and the links between them` });
  const graphStatus = el("p", { class: "hint", "data-compare-graph-status": "", role: "status" }, "Loading the graph…");
  const legend = el("div", { class: "graph-legend" });
  const against = pairsOfTag("disagreements", row.tag, sections.length ? ids : null);
  quotes.replaceChildren(
    el("h2", {}, title),
    el("p", { class: "hint" }, hint),
    el("button", { type: "button", class: "close", "data-close-quotes": "" }, "Close"),
    el("section", { class: "panel-graph" }, el("h3", {}, "Argument graph"), graphStatus, canvas, legend),
    ...sections,
    el("section", { class: "panel-disagreements", "data-tag-disagreements": "" },
      el("h3", {}, `Disagreements about ${row.tag} (${against.length})`),
      against.length ? el("ol", {}, ...against.map((pair) => pairItem(pair, "disagreements", row.tag)))
        : el("p", { class: "hint" }, "No two claims of different actors disagree about it here.")),
  );
  quotes.querySelector("[data-close-quotes]").addEventListener("click", () => {
    quotes.hidden = true;
    graph?.destroy();
    graph = null;
  });
  quotes.hidden = false;
  quotes.dataset.tag = row.tag;
  drawGraph(ticket, canvas, graphStatus, legend, row.tag, ids);
}

// The claims `ids` and the links between them, from GET map/ with the page's filters and the tag.
async function drawGraph(ticket, canvas, graphStatus, legend, tag, ids) {
  const query = filterParams(form, ["paper", "include"]);
  query.set("tag", tag);
  query.set("shape", "compact");
  let data;
  try {
    data = keepClaims(decodeMap(await getJSON(`${pageUrl(table, "apiMap")}?${query}`)), ids);
  } catch (error) {
    if (ticket !== opened) return;
    canvas.dataset.state = "error";
    graphStatus.textContent = `The graph could not be loaded: ${errorText(error)}`;
    return;
  }
  if (ticket !== opened) return; // another cell was opened meanwhile
  graph = new ArgumentGraph(canvas, { onSelect: (picked) => markCard(picked) });
  const colours = graph.draw(data, { colourBy: "author", layout: "cose" });
  legend.replaceChildren(...legendItems(colours, "author"));
  graphStatus.textContent = `${data.nodes.length} claims, ${data.edges.length} links between them.`;
  canvas.dataset.state = "ready";
}

// A claim picked on the graph: its quote card in the panel marked and brought into view.
function markCard(picked) {
  for (const card of quotes.querySelectorAll(".quote-card.picked")) card.classList.remove("picked");
  if (!picked || picked.kind !== "claim") return;
  const cards = quotes.querySelectorAll(`.quote-card[data-claim-id="${CSS.escape(picked.id)}"]`);
  for (const card of cards) card.classList.add("picked");
  cards[0]?.scrollIntoView({ block: "nearest" });
}

function openCell(row, column) {
  const cell = row.cells[column];
  const section = el("section", { class: "cell-quotes", "data-cell-quotes": "" });
  for (const stance of STANCES) {
    const ids = cell.claims.filter((id) => stanceOn(matrix.claims[id], row.tag) === stance);
    if (!ids.length) continue;
    section.append(el("h3", { class: `stance-${stance}` }, `${stance} (${ids.length})`), ...ids.map((id) => quoteBlock(matrix.claims[id], row.tag)));
  }
  if (cell.reported.length) {
    section.append(
      el("h3", { class: "reported", "data-reported-heading": "" }, `reported in someone else's voice (${cell.reported.length}), not weighed`),
      ...cell.reported.map((id) => quoteBlock(matrix.claims[id], row.tag)),
    );
  }
  openPanel(`${matrix.columns[column].label} on ${row.tag}`, row.name, row, new Set([...cell.claims, ...cell.reported]), [section]);
  quotes.dataset.column = matrix.columns[column].key;
  for (const active of table.querySelectorAll("button.cell.active, button.row-open.active")) active.classList.remove("active");
  table.querySelector(`button.cell[data-row="${matrix.rows.indexOf(row)}"][data-col="${column}"]`)?.classList.add("active");
}

// A tag's row: the graph of every claim in it (own and reported, every column) and the disagreements about it.
function openRow(row) {
  const ids = new Set(row.cells.flatMap((cell) => [...cell.claims, ...cell.reported]));
  openPanel(`Everyone on ${row.tag}`, `${row.name}${row.contested ? " — contested: columns lean opposite ways" : ""}`, row, ids, []);
  quotes.dataset.column = "";
  for (const active of table.querySelectorAll("button.cell.active, button.row-open.active")) active.classList.remove("active");
  table.querySelector(`button.row-open[data-tag="${CSS.escape(row.tag)}"]`)?.classList.add("active");
}

function cellTitle(cell) {
  const parts = [`${cell.affirms} affirm, ${cell.denies} deny, ${cell.qualifies} qualify`];
  if (cell.reports) parts.push(`${cell.reports} reported in someone else's voice (not weighed)`);
  if (cell.pending) parts.push(`${cell.pending} pending`);
  return parts.join("; ");
}

function renderTable() {
  const head = el("tr", {}, el("th", { scope: "col" }, "Tag"));
  for (const column of matrix.columns) {
    const counts = `${plural(column.claims, "claim")}${column.reports ? `, ${column.reports} reported` : ""}`;
    head.append(el("th", { scope: "col", "data-column": column.key, title: counts }, column.label,
      el("small", {}, ` ${column.claims}`), column.reports ? el("small", { class: "rep" }, ` ❝${column.reports}`) : null));
  }
  table.tHead.replaceChildren(head);
  const body = [];
  matrix.rows.forEach((row, r) => {
    const depth = row.parent ? 1 : 0;
    const open = el("button", { type: "button", class: "row-open", "data-row-open": "", "data-tag": row.tag,
      title: `${row.name}: the graph of its claims and the disagreements about it` }, row.tag);
    open.addEventListener("click", () => openRow(row));
    const th = el("th", { scope: "row", class: depth ? "child" : "" }, open);
    if (row.contested) th.append(el("span", { class: "contested-mark", title: "Columns lean opposite ways on this tag" }, " ≠"));
    const tr = el("tr", { "data-tag": row.tag, "data-contested": row.contested ? "true" : "false", class: row.contested ? "contested" : "" }, th);
    row.cells.forEach((cell, c) => {
      const td = el("td", {});
      if (cell.total || cell.reports) {
        const classes = ["cell"];
        if (!cell.total) classes.push("reports-only");
        if (cell.pending) classes.push("has-pending");
        const button = el("button", {
          type: "button", class: classes.join(" "), "data-cell": "", "data-row": r, "data-col": c, "data-tag": row.tag,
          "data-column": matrix.columns[c].key, "data-total": cell.total, "data-reports": cell.reports,
          "data-pending": cell.pending, title: cellTitle(cell),
        },
        el("span", { class: "aff" }, cell.affirms ? `+${cell.affirms}` : ""),
        el("span", { class: "den" }, cell.denies ? `−${cell.denies}` : ""),
        el("span", { class: "qual" }, cell.qualifies ? `~${cell.qualifies}` : ""),
        el("span", { class: "rep" }, cell.reports ? `❝${cell.reports}` : ""));
        if (cell.total) button.style.backgroundColor = cellColour(cell);
        if (cell.total && Math.abs(cell.balance) > 0.6) button.classList.add("strong");
        button.addEventListener("click", () => openCell(row, c));
        td.append(button);
      }
      tr.append(td);
    });
    body.push(tr);
  });
  table.tBodies[0].replaceChildren(...body);
}

function reasonText(reason, kind) {
  if (reason.kind === "link") return `${reason.relation} link${reason.status === "pending" ? " (pending)" : ""}`;
  if (kind === "disagreements") return `opposite stances on ${reason.tags.join(", ")}`;
  return `the same stance on ${reason.tags.map((tag) => `${tag} (${reason.stances[tag][0]})`).join(", ")}`;
}

function renderPairs(kind) {
  const { list, count, noun } = lists[kind];
  const pairs = matrix[kind];
  const total = matrix[`${kind}_total`];
  count.textContent = total
    ? `${total} pair${total === 1 ? "" : "s"} of claims in ${noun}${pairs.length < total ? `, the first ${pairs.length} listed` : ""}.`
    : `No ${noun}s between different actors in this selection.`;
  count.dataset.total = String(total);
  list.replaceChildren(...pairs.map((pair) => pairItem(pair, kind, null)));
}

function updateDownloads() {
  const p = params();
  for (const link of downloads.querySelectorAll("a[data-kind]")) {
    const url = pageUrl(downloads, "api", { kind: link.dataset.kind, format: link.dataset.format });
    link.href = `${url}${p.size ? `?${p}` : ""}`;
  }
}

async function load() {
  updateDownloads();
  const answer = await fetchMatrix(params());
  if (!answer) return;
  matrix = answer;
  quotes.hidden = true;
  opened += 1;
  graph?.destroy();
  graph = null;
  countingRule.textContent = matrix.counting;
  renderTable();
  renderPairs("disagreements");
  renderPairs("agreements");
  const contested = matrix.rows.filter((row) => row.contested).length;
  const reports = matrix.columns.reduce((sum, column) => sum + column.reports, 0);
  status.textContent = `${matrix.rows.length} tags × ${matrix.columns.length} columns; ${contested} contested; counted: ${matrix.counted.join(" and ")}.`
    + `${reports ? ` ${reports} reported claim${reports === 1 ? "" : "s"} shown apart.` : ""}`
    + `${matrix.excluded ? ` ${matrix.excluded} untagged claim${matrix.excluded === 1 ? "" : "s"} in no cell.` : ""}`;
  table.dataset.counted = matrix.counted.join(",");
  table.dataset.state = "ready";
}

const initial = new URLSearchParams(location.search);
for (const name of FILTERS) if (initial.has(name)) setField(form.elements[name], initial.get(name));
form.addEventListener("submit", (event) => event.preventDefault());
for (const name of FILTERS) form.elements[name].addEventListener("change", load);
load();
