// A filter on the claims panel: tag, stance, status, analyst and words (of the statement, speaker, tags, status,
// analyst, an unplaced claim's quote). It reads the claims' data (claims_data.js), not the panel's DOM: it hides the
// panel items of the claims it leaves out and tells the page which claims those are (onFilter), so that their
// highlights in the text are dimmed. refresh() fills its choices and applies it again (after every redraw).

import { h } from "./dom.js";

// What the filter compares, for one decoded claim.
function facts(claim) {
  const speaker = claim.unplaced ? "" : claim.speaker || "the authors";
  const tags = claim.tags || [];
  return {
    tags,
    stance: claim.stance || "",
    status: claim.status || "",
    analyst: claim.createdBy || "",
    words: [claim.statement, speaker, claim.stance, ...tags, claim.status, claim.createdBy, claim.quote]
      .filter(Boolean)
      .join(" ")
      .toLowerCase(),
  };
}

function choice(name, label) {
  return h("label", {}, h("span", { class: "visually-hidden" }, label), h("select", { name, "aria-label": label }, h("option", { value: "" }, `any ${name}`)));
}

// claims(): the page's decoded claims {placed, unplaced}; onFilter(shown): a predicate over claims, or null when
// nothing is filtered out.
export function installClaimsFilter(list, { claims, onFilter }) {
  const form = h(
    "form",
    { class: "claims-filter", role: "search", "aria-label": "Filter the claims", "data-claims-filter": true },
    h("input", { type: "search", name: "q", placeholder: "Filter claims", "aria-label": "Words in the claims" }),
    choice("tag", "Tag"),
    choice("stance", "Stance"),
    choice("status", "Status"),
    choice("analyst", "Analyst"),
    h("p", { class: "hint", "data-filter-count": true, role: "status", "aria-live": "polite" }),
  );
  list.before(form);
  const shown = form.querySelector("[data-filter-count]");
  form.addEventListener("submit", (event) => event.preventDefault());
  // Facts of each claim, by id, made again when the claims' data is replaced.
  let known = null;
  let factsById = new Map();

  function all() {
    const current = claims();
    if (current !== known) {
      known = current;
      factsById = new Map([...current.placed, ...current.unplaced].map((claim) => [claim.id, facts(claim)]));
    }
    return factsById;
  }

  // The choices are what the claims hold; a choice no longer there stays chosen (and matches nothing).
  function fillChoices() {
    const found = [...all().values()];
    const values = {
      tag: found.flatMap((f) => f.tags),
      stance: found.map((f) => f.stance),
      status: found.map((f) => f.status),
      analyst: found.map((f) => f.analyst),
    };
    for (const [name, options] of Object.entries(values)) {
      const select = form.elements[name];
      const chosen = select.value;
      const sorted = [...new Set(options.filter(Boolean))].sort((a, b) => a.localeCompare(b));
      if (chosen && !sorted.includes(chosen)) sorted.push(chosen);
      select.replaceChildren(select.options[0], ...sorted.map((v) => h("option", { value: v, selected: v === chosen }, v)));
    }
  }

  function apply() {
    const want = Object.fromEntries(["tag", "stance", "status", "analyst"].map((n) => [n, form.elements[n].value]));
    const words = form.elements.q.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    const filtering = Boolean(words.length || Object.values(want).some(Boolean));
    const matches = (f) =>
      (!want.tag || f.tags.includes(want.tag)) &&
      (!want.stance || f.stance === want.stance) &&
      (!want.status || f.status === want.status) &&
      (!want.analyst || f.analyst === want.analyst) &&
      words.every((w) => f.words.includes(w));
    const byId = all();
    const kept = new Set();
    for (const [id, f] of byId) if (!filtering || matches(f)) kept.add(id);
    for (const item of list.children) {
      const id = item.dataset.claimId;
      if (id) item.hidden = !kept.has(id);
    }
    shown.textContent = filtering ? `${kept.size} of ${byId.size} claims shown` : "";
    list.dataset.filtered = filtering ? "true" : "false";
    onFilter(filtering ? (claim) => kept.has(claim.id) : null);
  }

  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  function refresh() {
    fillChoices();
    apply();
  }
  return { form, refresh };
}
