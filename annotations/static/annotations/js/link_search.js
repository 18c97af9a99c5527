// The popover's "Link to…" form: search claims by text, tag and author (claims of other authors first, the
// newest search's answer winning), choose one, a relation and a reason, and link the popover's claim to it.
// What is typed is kept as a draft (localStorage, per user and claim, as the claim form's drafts) until the link
// is made or the draft discarded: Esc first closes the list of claims found, then the popover, and opening the
// popover on that claim again brings the form back as it was.

import { h, truncate } from "./dom.js";
import { read, write } from "./drafts.js";
import { SUPERSEDED, errorText, latestOnly, request } from "./http.js";

export const RELATIONS = ["supports", "conflicts", "restates"];
const FIELDS = ["q", "tag", "author", "relation", "rationale"];

function draftKey(claimId) {
  const user = document.querySelector('meta[name="sco-user"]')?.content || "";
  return `sco-claims:link-draft:${user}:${claimId}`;
}

// The draft of a link from this claim, or null.
export function linkDraft(claimId) {
  return read(draftKey(claimId));
}

// popover: the ClaimPopover whose claim is the source; a linked claim, Cancel or Discard draws the popover again.
export function linkSearchForm(popover) {
  const authors = new Map();
  for (const paper of Object.values(popover.data.papers)) for (const a of paper.authors) authors.set(a.id, a.name);
  const q = h("input", { type: "search", name: "q", placeholder: "words in quote or statement" });
  const tag = h(
    "select",
    { name: "tag" },
    h("option", { value: "" }, "any tag"),
    popover.data.tags.map((t) => h("option", { value: t.slug }, t.slug)),
  );
  const author = h(
    "select",
    { name: "author" },
    h("option", { value: "" }, "any author"),
    [...authors].sort((a, b) => a[1].localeCompare(b[1])).map(([id, name]) => h("option", { value: id }, name)),
  );
  const results = h("ol", { class: "link-results", "data-link-results": true });
  const relation = h("select", { name: "relation" }, RELATIONS.map((r) => h("option", { value: r }, r)));
  const rationale = h("textarea", { name: "rationale", rows: 2, placeholder: "why (optional)" });
  const error = h("p", { class: "error", "data-link-error": true, hidden: true });
  const submit = h("button", { type: "submit", class: "primary", disabled: true }, "Link");
  const box = h(
    "form",
    { class: "link-form", "data-link-form": true },
    h("h3", {}, "Link this claim to…"),
    h("div", { class: "row" }, q, tag, author),
    results,
    h("div", { class: "row" }, h("label", {}, "This claim ", relation, " the chosen one")),
    rationale,
    error,
    h(
      "div",
      { class: "actions" },
      submit,
      h("button", { type: "button", "data-link-cancel": true, title: "Back to the claim; what was typed is kept", onclick: () => popover.render() }, "Cancel"),
      h("button", { type: "button", "data-link-discard": true, title: "Forget what was typed", onclick: () => discard() }, "Discard"),
    ),
  );
  const key = draftKey(popover.claim.id);
  const draft = read(key);
  let chosen = draft ? draft.chosen || null : null;
  if (draft) {
    for (const name of FIELDS) if (draft.fields && draft.fields[name] !== undefined) box.elements[name].value = draft.fields[name];
    box.dataset.draft = "restored";
  }
  function keepDraft() {
    const fields = Object.fromEntries(FIELDS.map((name) => [name, box.elements[name].value]));
    const typed = fields.q.trim() || fields.rationale.trim() || fields.tag || fields.author || chosen;
    write(key, typed ? { fields, chosen, at: new Date().toISOString() } : null);
  }
  function discard() {
    write(key, null);
    popover.render();
  }
  box.addEventListener("input", keepDraft);
  box.addEventListener("change", keepDraft);
  // Esc closes the list of claims found first (what was typed stays); the next one closes the popover. Never the
  // browser's own Esc in a search field, which empties it.
  box.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    event.preventDefault();
    if (results.hidden || !results.children.length) return;
    event.stopPropagation();
    results.hidden = true;
  });
  q.addEventListener("focus", () => {
    results.hidden = false;
  });
  q.addEventListener("input", () => {
    results.hidden = false;
  });
  let timer = null;
  const find = latestOnly(); // a newer search aborts the one in flight: its answer wins
  const search = async () => {
    const source = popover.claim;
    if (!source) return; // the popover closed
    const query = q.value.trim(); // what this search asked for, not what the box holds when it answers
    const params = new URLSearchParams({ page_size: "50" });
    if (popover.urls.project) params.set("project", popover.urls.project); // none: the default project
    if (query) params.set("q", query);
    if (tag.value) params.set("tag", tag.value);
    if (author.value) params.set("author", author.value);
    let found;
    try {
      found = await find(`${popover.urls.claims}?${params}`);
    } catch (e) {
      results.replaceChildren(h("li", { class: "error" }, errorText(e)));
      return;
    }
    if (found === SUPERSEDED || popover.claim !== source || !box.isConnected) return;
    found = found.results;
    results.dataset.query = query;
    const others = (c) => (popover.data.papers[c.paper]?.authors || []).some((a) => popover.paperAuthors.has(a.id)) ? 1 : 0;
    found = found.filter((c) => c.id !== source.id).sort((a, b) => others(a) - others(b));
    // A newer answer keeps the claim already chosen if it is still listed.
    const keep = found.some((c) => c.id === chosen) ? chosen : null;
    chosen = keep;
    submit.disabled = keep === null;
    results.replaceChildren(
      ...(found.length
        ? found.map((c) => {
            const radio = h("input", { type: "radio", name: "link-target", value: c.id, checked: c.id === keep });
            radio.addEventListener("change", () => {
              chosen = c.id;
              submit.disabled = false;
              keepDraft();
            });
            return h(
              "li",
              { dataset: { claimId: c.id } },
              h(
                "label",
                {},
                radio,
                h("span", { class: "statement" }, c.statement),
                h("span", { class: "other-quote" }, "“", truncate(c.target.exact, 140), "”"),
                h("span", { class: "meta" }, popover.paperLine(c.paper)),
              ),
            );
          })
        : [h("li", { class: "hint" }, "No claim matches.")]),
    );
  };
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(search, 250);
  };
  q.addEventListener("input", later);
  tag.addEventListener("change", search);
  author.addEventListener("change", search);
  box.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!chosen) return;
    error.hidden = true;
    try {
      const body = { source: popover.claim.id, target: chosen, relation: relation.value, rationale: rationale.value };
      await request("POST", popover.urls.links, { body });
    } catch (e) {
      error.textContent = errorText(e);
      error.hidden = false;
      return;
    }
    write(key, null);
    popover.render();
    popover.actionBox.append(h("p", { class: "ok", "data-linked": true }, "Linked."));
  });
  search();
  return box;
}
