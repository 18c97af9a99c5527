// The claim popover: what a highlight says, its moderation, its links in and out, its history, and
// "Link to…", which searches other claims (other authors first) and links them. Its buttons are drawn from each
// item's `actions`, what the server says the user may do to it.

import { append, h, placeNear, truncate } from "./dom.js";
import { HttpError, errorText, getJSON, request } from "./http.js";
import { RELATIONS, linkDraft, linkSearchForm } from "./link_search.js";
import { pageLabel } from "./pages.js";
import { safeFragment } from "./sanitize.js";
import { loadSuggestions } from "./suggest_panel.js";

function when(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

export class ClaimPopover {
  // urls: {claims, links} (the API's collections) and readerOf(paper, claimId), all from the page.
  constructor(el, { data, urls, form, onChanged }) {
    this.el = el;
    this.data = data;
    this.urls = urls;
    this.form = form;
    this.onChanged = onChanged;
    this.claim = null;
    this.rect = null;
    this.paperAuthors = new Set((data.papers[data.paper]?.authors || []).map((a) => a.id));
  }

  get open() {
    return !this.el.hidden;
  }

  close() {
    this.el.hidden = true;
    this.el.replaceChildren();
    this.claim = null;
  }

  claimUrl(id, tail = "") {
    return `${this.urls.claims}${encodeURIComponent(id)}/${tail}`;
  }

  linkUrl(id) {
    return `${this.urls.links}${encodeURIComponent(id)}/`;
  }

  paperLine(slug) {
    const paper = this.data.papers[slug];
    if (!paper) return slug;
    const authors = paper.authors.map((a) => (a.country ? `${a.name} (${a.country})` : a.name)).join("; ");
    return `${authors}${paper.year ? `, ${paper.year}` : ""} — ${paper.title}`;
  }

  // Several claims cover the clicked place: let the reader choose.
  showChoice(ids, rect, statementOf) {
    this.claim = null;
    this.rect = rect;
    this.el.replaceChildren(
      h("p", { class: "popover-title" }, `${ids.length} claims here`),
      h(
        "ul",
        { class: "choices" },
        ids.map((id) =>
          h("li", {}, h("button", { type: "button", class: "link", onclick: () => this.show(id, rect) }, statementOf(id))),
        ),
      ),
      this.closeButton(),
    );
    placeNear(this.el, rect);
  }

  closeButton() {
    return h("button", { type: "button", class: "close", "aria-label": "Close", onclick: () => this.close() }, "×");
  }

  async show(id, rect) {
    this.rect = rect || this.rect;
    this.el.replaceChildren(h("p", { class: "hint" }, "Loading…"));
    placeNear(this.el, this.rect);
    let claim;
    try {
      claim = await getJSON(this.claimUrl(id));
    } catch (error) {
      this.el.replaceChildren(h("p", { class: "error" }, error.message), this.closeButton());
      return;
    }
    this.claim = claim;
    this.render();
    // A link begun from this claim and not yet made: its form comes back as it was left.
    if (claim.actions.includes("link") && linkDraft(claim.id)) this.linkTo({ focus: false });
  }

  render() {
    const c = this.claim;
    const may = (action) => c.actions.includes(action);
    const moderation = c.moderation
      ? h("p", { class: "meta", "data-moderation": true }, `${c.status === "pending" ? "last decided" : c.status} by ${c.moderation.by}, ${when(c.moderation.at)}`, c.moderation.reason ? `: ${c.moderation.reason}` : "")
      : null;
    // The note is stored as typed; the server renders its Markdown and sanitizes the HTML (note_html).
    const note = c.note_html ? h("div", { class: "note", "data-note": true }) : null;
    if (note) note.append(safeFragment(c.note_html));
    this.linksBox = h("div", { class: "links", "data-links": true }, h("p", { class: "hint" }, "Loading links…"));
    this.historyBox = h("div", { class: "history", "data-history": true }, h("p", { class: "hint" }, "Loading history…"));
    this.actionBox = h("div", { class: "actions" });
    // The maker of a rejected item may revise it ("resubmit"): saving sends it back to review.
    append(this.actionBox, [
      may("edit") ? h("button", { type: "button", "data-edit": true, onclick: () => this.edit() }, "Edit") : null,
      may("resubmit")
        ? h("button", { type: "button", "data-edit": true, title: "Saving sends it back to review", onclick: () => this.edit() }, "Edit and resubmit")
        : null,
      may("delete") ? h("button", { type: "button", "data-delete": true, onclick: () => this.confirmDelete() }, "Delete") : null,
      may("link") ? h("button", { type: "button", "data-link-to": true, onclick: () => this.linkTo() }, "Link to…") : null,
    ]);
    this.el.replaceChildren();
    append(this.el, [
      this.closeButton(),
      h("blockquote", { class: "quote" }, truncate(c.target.exact, 600)),
      c.pages ? h("p", { class: "pages", "data-pages": true }, pageLabel(c.pages)) : null,
      h("p", { class: "statement", "data-statement": true }, c.statement),
      h(
        "p",
        { class: "meta" },
        h("span", { class: "stance", dataset: { stance: c.stance } }, c.stance),
        " ",
        (c.codings || c.tags.map((tag) => ({ tag, stance: c.stance }))).map(({ tag, stance }) => [
          h(
            "span",
            { class: "coding", "data-coding": tag, dataset: { stance } },
            h("span", { class: "tag-chip", dataset: { tag } }, tag),
            stance === c.stance ? null : [" ", h("span", { class: "stance", dataset: { stance } }, stance)],
          ),
          " ",
        ]),
      ),
      h(
        "p",
        { class: "meta" },
        "speaker: ",
        h("span", { "data-speaker": true }, c.speaker || "the authors"),
        " · ",
        h("span", { class: `status status-${c.status}`, "data-status": true }, c.status),
        ` · by ${c.created_by}, ${when(c.created_at)}`,
      ),
      moderation,
      note,
      this.actionBox,
      h("section", {}, h("h3", {}, "Links"), this.linksBox),
      this.suggestionsSection(may("link")),
      h("details", { class: "history-section", ontoggle: (e) => e.target.open && this.loadHistory() }, h("summary", {}, "History"), this.historyBox),
    ]);
    placeNear(this.el, this.rect);
    this.loadLinks();
  }

  // "Find in other papers" (suggest_panel.js), loaded when opened.
  suggestionsSection(canJudge) {
    const box = h("div", { "data-suggestions-box": true });
    const load = (e) => e.target.open && !box.childElementCount && loadSuggestions(this, box, { canJudge });
    return h("details", { class: "suggestions-section", "data-find-in-papers": true, ontoggle: load }, h("summary", {}, "Find in other papers"), box);
  }

  edit() {
    const claim = this.claim;
    const rect = this.el.getBoundingClientRect();
    this.close();
    this.form.openForEdit(claim, rect);
  }

  confirmDelete() {
    // An in-page confirmation, not window.confirm(): no modal dialog ever opens on this page.
    this.actionBox.replaceChildren(
      h("span", {}, "Delete this claim? "),
      h("button", { type: "button", class: "danger", "data-confirm-delete": true, onclick: () => this.remove() }, "Delete"),
      h("button", { type: "button", onclick: () => this.render() }, "Keep"),
    );
  }

  async remove() {
    try {
      await request("DELETE", this.claimUrl(this.claim.id));
    } catch (error) {
      this.actionBox.append(h("p", { class: "error" }, errorText(error)));
      return;
    }
    const range = this.claim.target;
    this.close();
    await this.onChanged("Claim deleted.", range);
  }

  async loadLinks() {
    const id = this.claim.id;
    let links;
    try {
      const query = new URLSearchParams({ claim: id, page_size: "200" });
      if (this.urls.project) query.set("project", this.urls.project); // none: the default project
      links = (await getJSON(`${this.urls.links}?${query}`)).results;
    } catch (error) {
      this.linksBox.replaceChildren(h("p", { class: "error" }, error.message));
      return;
    }
    if (!this.claim || this.claim.id !== id) return;
    const out = links.filter((l) => l.source.id === id);
    const incoming = links.filter((l) => l.target.id === id);
    const item = (link, other, arrow) =>
      h(
        "li",
        { dataset: { linkId: link.id }, class: "link-item" },
        h("p", { class: "meta" }, h("strong", {}, arrow), " · ", h("span", { class: `status status-${link.status}` }, link.status)),
        h("p", { class: "other-quote" }, "“", truncate(other.exact, 200), "”"),
        h("p", { class: "meta" }, this.paperLine(other.paper)),
        link.rationale_html ? h("div", { class: "note", "data-rationale": true }, safeFragment(link.rationale_html)) : null,
        h(
          "p",
          {},
          h("a", { href: this.urls.readerOf(other.paper, other.id), "data-go-claim": other.id }, "Go to this claim →"),
          link.actions.includes("delete")
            ? [" ", h("button", { type: "button", class: "link", onclick: () => this.removeLink(link) }, "remove link")]
            : null,
          link.actions.includes("resubmit")
            ? [" ", h("button", { type: "button", class: "link", "data-edit-link": true, onclick: (e) => this.editLink(link, e.target.closest("li")) }, "edit and resubmit")]
            : null,
        ),
      );
    const parts = [];
    if (out.length) parts.push(h("h4", {}, "Out"), h("ul", { "data-links-out": true }, out.map((l) => item(l, l.target, `this ${l.relation} →`))));
    if (incoming.length) parts.push(h("h4", {}, "In"), h("ul", { "data-links-in": true }, incoming.map((l) => item(l, l.source, `← ${l.relation} this`))));
    if (!parts.length) parts.push(h("p", { class: "hint" }, "No links yet."));
    this.linksBox.replaceChildren(...parts);
  }

  // One's own rejected link: change its relation or rationale, which sends it back to review.
  editLink(link, item) {
    const relation = h("select", { name: "relation" }, RELATIONS.map((r) => h("option", { value: r, selected: r === link.relation }, r)));
    const rationale = h("textarea", { name: "rationale", rows: 2 });
    rationale.value = link.rationale || "";
    const error = h("p", { class: "error", hidden: true });
    const form = h(
      "form",
      { class: "link-edit", "data-link-edit": true },
      h("label", {}, "relation ", relation),
      rationale,
      error,
      h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, "Save and resubmit"), h("button", { type: "button", onclick: () => this.loadLinks() }, "Cancel")),
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        const body = { version: link.version, relation: relation.value, rationale: rationale.value };
        await request("PATCH", this.linkUrl(link.id), { body });
      } catch (e) {
        error.textContent = errorText(e);
        error.hidden = false;
        return;
      }
      this.loadLinks();
    });
    item.append(form);
    relation.focus();
  }

  async removeLink(link) {
    try {
      await request("DELETE", this.linkUrl(link.id));
    } catch (error) {
      this.linksBox.prepend(h("p", { class: "error" }, errorText(error)));
      return;
    }
    this.loadLinks();
  }

  async loadHistory() {
    const id = this.claim.id;
    let page;
    try {
      page = await getJSON(this.claimUrl(id, "history/"));
    } catch (error) {
      const text = error instanceof HttpError && error.status === 404 ? "History not available." : error.message;
      this.historyBox.replaceChildren(h("p", { class: "hint", "data-history-unavailable": true }, text));
      return;
    }
    const entries = (page && page.results) || [];
    if (!entries.length) {
      this.historyBox.replaceChildren(h("p", { class: "hint" }, "No history recorded."));
      return;
    }
    const show = (v) => (v === null || v === undefined || v === "" ? "—" : typeof v === "string" ? truncate(v, 120) : JSON.stringify(v));
    this.historyBox.replaceChildren();
    append(this.historyBox, [
      h(
        "ol",
        { class: "history-list" },
        entries.map((e) =>
          h(
            "li",
            {},
            h("p", { class: "meta" }, `${when(e.at)} · ${e.by || "?"} · ${e.action}`),
            Object.entries(e.changes || {}).map(([field, change]) =>
              h("p", { class: "change" }, `${field}: ${show(change && change.from)} → ${show(change && change.to)}`),
            ),
            e.reason ? h("p", { class: "meta" }, `reason: ${e.reason}`) : null,
          ),
        ),
      ),
      page.next ? h("p", { class: "hint" }, `${page.count} entries; the first ${entries.length} are shown.`) : null,
    ]);
  }

  // "Link to…": the search form takes the place of the buttons.
  linkTo({ focus = true } = {}) {
    const box = linkSearchForm(this);
    this.actionBox.replaceWith(box);
    this.actionBox = box;
    if (focus) box.elements.q.focus();
  }
}
