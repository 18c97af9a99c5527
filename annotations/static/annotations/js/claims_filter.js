// A filter on the claims panel: tag, stance, status, analyst and words of the statement or speaker. It reads what
// each panel item shows, and applies again whenever the panel is drawn again; refresh() fills its choices.

import { h } from "./dom.js";

function facts(item) {
  const meta = [...item.querySelectorAll(".meta")].map((p) => p.textContent).join(" ");
  const status = item.querySelector(".status");
  const who = item.querySelector(".who-made");
  return {
    tags: [...item.querySelectorAll(".tag-chip[data-tag]")].map((chip) => chip.dataset.tag),
    stance: item.querySelector(".stance[data-stance]")?.dataset.stance || "",
    status: status ? status.textContent.trim() : "",
    analyst: who ? who.textContent.trim() : (/\bby (\S+)\s*$/.exec(meta) || [])[1] || "",
    words: `${item.querySelector(".statement")?.textContent || ""} ${meta}`.toLowerCase(),
  };
}

function choice(name, label) {
  return h("label", {}, h("span", { class: "visually-hidden" }, label), h("select", { name, "aria-label": label }, h("option", { value: "" }, `any ${name}`)));
}

export function installClaimsFilter(panel, list) {
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

  function items() {
    return [...list.querySelectorAll("li[data-claim-id]")];
  }

  // The choices are what the panel holds; a choice no longer there stays chosen (and matches nothing).
  function fillChoices() {
    const all = items().map(facts);
    const values = {
      tag: all.flatMap((f) => f.tags),
      stance: all.map((f) => f.stance),
      status: all.map((f) => f.status),
      analyst: all.map((f) => f.analyst),
    };
    for (const [name, found] of Object.entries(values)) {
      const select = form.elements[name];
      const chosen = select.value;
      const options = [...new Set(found.filter(Boolean))].sort((a, b) => a.localeCompare(b));
      if (chosen && !options.includes(chosen)) options.push(chosen);
      select.replaceChildren(select.options[0], ...options.map((v) => h("option", { value: v, selected: v === chosen }, v)));
    }
  }

  function apply() {
    const want = Object.fromEntries(["tag", "stance", "status", "analyst"].map((n) => [n, form.elements[n].value]));
    const words = form.elements.q.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    const all = items();
    let count = 0;
    for (const item of all) {
      const f = facts(item);
      const ok =
        (!want.tag || f.tags.includes(want.tag)) &&
        (!want.stance || f.stance === want.stance) &&
        (!want.status || f.status === want.status) &&
        (!want.analyst || f.analyst === want.analyst) &&
        words.every((w) => f.words.includes(w));
      item.hidden = !ok;
      if (ok) count++;
    }
    const filtering = words.length || Object.values(want).some(Boolean);
    shown.textContent = filtering ? `${count} of ${all.length} claims shown` : "";
    list.dataset.filtered = filtering ? "true" : "false";
  }

  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  function refresh() {
    fillChoices();
    apply();
  }
  new MutationObserver(refresh).observe(list, { childList: true });
  return { form, refresh };
}
