// The claim form: create from a selection, or edit a claim; tags with type-ahead on the codebook, each tag
// a chip with the claim's stance on it (the claim's own stance unless flipped: click or Enter/Space on the
// chip goes affirms → denies → qualifies).

import { h, placeNear, truncate } from "./dom.js";
import { HttpError, request } from "./http.js";

const FIELDS = ["statement", "stance", "speaker", "tags", "note"];
const STANCES = ["affirms", "denies", "qualifies"];
const SLUG = /^[-a-z0-9_]+$/;

export class ClaimForm {
  // claimsUrl: the API's collection of claims, from the page.
  constructor(form, { paper, tags, claimsUrl, tagsUrl, onSaved, onClose }) {
    this.form = form;
    this.claimsUrl = claimsUrl;
    this.tagsUrl = tagsUrl;
    this.paper = paper;
    this.tags = tags;
    this.onSaved = onSaved;
    this.onClose = onClose;
    this.target = null;
    this.claim = null;
    this.busy = false;
    this.suggestions = form.querySelector("[data-tag-suggestions]");
    this.tagInput = form.elements.tags;
    this.codingsBox = form.querySelector("[data-codings]");
    // Tags set apart from the claim's stance: slug → stance. The others follow the stance select.
    this.tagStances = new Map();
    this.active = -1;
    // A tag proposal still on its way: a save waits for it, so the claim carries the tag it proposes.
    this.proposing = null;
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.save();
    });
    form.querySelector("[data-cancel]").addEventListener("click", () => this.close());
    form.addEventListener("keydown", (event) => this.keydown(event));
    this.tagInput.addEventListener("input", () => {
      this.suggest();
      this.renderCodings();
    });
    form.elements.stance.addEventListener("change", () => this.renderCodings());
    this.tagInput.addEventListener("focus", () => this.suggest());
    // Suggestions are picked on mousedown (which keeps the focus), so leaving the field closes them.
    this.tagInput.addEventListener("blur", () => this.hideSuggestions());
  }

  get open() {
    return !this.form.hidden;
  }

  openForCreate(target, rect, { focus = true } = {}) {
    // Selecting again while a new claim's form is open moves its passage and keeps what was typed.
    const keep = this.open && !this.claim;
    this.claim = null;
    this.target = target;
    if (!keep) {
      this.form.reset();
      this.tagStances.clear();
    }
    this.renderCodings();
    this.form.querySelector("[data-form-title]").textContent = "New claim";
    this.form.querySelector("[data-form-quote]").textContent = truncate(target.exact, 400);
    this.show(rect, focus);
  }

  openForEdit(claim, rect) {
    this.claim = claim;
    this.target = null;
    this.form.reset();
    this.form.querySelector("[data-form-title]").textContent = "Edit claim";
    this.form.querySelector("[data-form-quote]").textContent = truncate(claim.target.exact, 400);
    this.form.elements.statement.value = claim.statement;
    this.form.elements.stance.value = claim.stance;
    this.form.elements.speaker.value = claim.speaker || "";
    this.form.elements.tags.value = claim.tags.join(", ");
    this.tagStances = new Map(
      (claim.codings || []).filter((c) => c.stance !== claim.stance).map((c) => [c.tag, c.stance]),
    );
    this.renderCodings();
    this.form.elements.note.value = claim.note || "";
    this.show(rect);
  }

  show(rect, focus = true) {
    this.clearErrors();
    placeNear(this.form, rect);
    if (focus) this.form.elements.statement.focus({ preventScroll: true });
  }

  close() {
    if (!this.open) return;
    this.form.hidden = true;
    this.hideSuggestions();
    this.claim = null;
    this.target = null;
    if (this.onClose) this.onClose();
  }

  chosenTags() {
    return this.tagInput.value
      .split(",")
      .map((t) => t.trim())
      .filter(Boolean);
  }

  stanceOf(slug) {
    return this.tagStances.get(slug) || this.form.elements.stance.value;
  }

  // One chip per chosen tag, showing the claim's stance on it; a chip flips that tag's stance only.
  renderCodings() {
    const slugs = [...new Set(this.chosenTags())];
    for (const slug of [...this.tagStances.keys()]) if (!slugs.includes(slug)) this.tagStances.delete(slug);
    this.codingsBox.replaceChildren(
      ...slugs.map((slug) => {
        const stance = this.stanceOf(slug);
        const own = this.tagStances.has(slug);
        return h(
          "li",
          {},
          h(
            "button",
            {
              type: "button",
              class: own ? "coding-chip own" : "coding-chip",
              dataset: { coding: slug, stance },
              title: "Change the stance on this tag only",
              "aria-label": `${slug}: ${stance}. Press to change the stance on this tag.`,
              onclick: () => this.flip(slug),
            },
            h("span", { class: "tag-chip", dataset: { tag: slug } }, slug),
            " ",
            h("span", { class: "stance", dataset: { stance } }, stance),
          ),
        );
      }),
    );
    this.codingsBox.hidden = !slugs.length;
  }

  flip(slug) {
    const next = STANCES[(STANCES.indexOf(this.stanceOf(slug)) + 1) % STANCES.length];
    // Back on the claim's stance, the tag follows it again (as the server's rule for stance changes).
    if (next === this.form.elements.stance.value) this.tagStances.delete(slug);
    else this.tagStances.set(slug, next);
    this.renderCodings();
    this.codingsBox.querySelector(`[data-coding="${CSS.escape(slug)}"]`).focus();
  }

  payload() {
    const el = this.form.elements;
    return {
      statement: el.statement.value.trim(),
      stance: el.stance.value,
      speaker: el.speaker.value.trim() || null,
      tags: [...new Set(this.chosenTags())].map((slug) => ({ tag: slug, stance: this.stanceOf(slug) })),
      note: el.note.value,
    };
  }

  async save() {
    if (this.busy) return;
    if (this.proposing) await this.proposing;
    this.clearErrors();
    const data = this.payload();
    if (!data.statement) {
      this.showError("statement", "Say what the passage claims, in your words.");
      this.form.elements.statement.focus();
      return;
    }
    this.busy = true;
    this.form.setAttribute("aria-busy", "true");
    try {
      let claim;
      if (this.claim) {
        const url = `${this.claimsUrl}${encodeURIComponent(this.claim.id)}/`;
        claim = await request("PATCH", url, { body: { version: this.claim.version, ...data } });
      } else {
        const target = { exact: this.target.exact, start: this.target.start, end: this.target.end };
        claim = await request("POST", this.claimsUrl, { body: { paper: this.paper, target, ...data } });
      }
      const created = !this.claim;
      this.form.hidden = true;
      this.hideSuggestions();
      this.claim = null;
      this.target = null;
      await this.onSaved(claim, created);
    } catch (error) {
      const errors = error instanceof HttpError ? { ...error.fields } : { general: error.message };
      if (error.status === 409) errors.general = `${errors.detail} Close the form and open the claim again.`;
      for (const [field, message] of Object.entries(errors)) {
        this.showError(FIELDS.includes(field) || field === "target" ? field : "general", message);
      }
    } finally {
      this.busy = false;
      this.form.removeAttribute("aria-busy");
    }
  }

  showError(field, message) {
    const slot = this.form.querySelector(`[data-error-for="${field}"]`);
    if (!slot) return;
    slot.textContent = slot.hidden ? message : `${slot.textContent} ${message}`;
    slot.hidden = false;
    if (this.form.elements[field]) this.form.elements[field].setAttribute("aria-invalid", "true");
  }

  clearErrors() {
    for (const slot of this.form.querySelectorAll("[data-error-for]")) {
      slot.hidden = true;
      slot.textContent = "";
    }
    for (const el of this.form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
  }

  keydown(event) {
    const listOpen = !this.suggestions.hidden && event.target === this.tagInput;
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      if (listOpen) this.hideSuggestions();
      else this.close();
      return;
    }
    if (listOpen && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      event.preventDefault();
      const items = this.suggestions.children.length;
      this.active = (this.active + (event.key === "ArrowDown" ? 1 : items - 1)) % items;
      this.highlightSuggestion();
      return;
    }
    if (listOpen && this.active >= 0 && (event.key === "Enter" || event.key === "Tab")) {
      event.preventDefault();
      this.choose(this.suggestions.children[this.active]);
      return;
    }
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.target.tagName !== "BUTTON") {
      event.preventDefault();
      this.save();
    }
  }

  currentToken() {
    const value = this.tagInput.value;
    return value.slice(value.lastIndexOf(",") + 1).trim().toLowerCase();
  }

  suggest() {
    const token = this.currentToken();
    const chosen = new Set(this.chosenTags());
    const matches = this.tags
      .filter((t) => !chosen.has(t.slug) || t.slug.toLowerCase() === token)
      .map((t) => {
        const slug = t.slug.toLowerCase();
        const name = t.name.toLowerCase();
        const rank = !token ? 2 : slug.startsWith(token) ? 0 : slug.includes(token) || name.includes(token) ? 1 : 9;
        return { t, rank };
      })
      .filter((m) => m.rank < 9)
      .sort((a, b) => a.rank - b.rank || a.t.slug.localeCompare(b.t.slug))
      .slice(0, 8);
    // A slug the codebook lacks may be proposed from here (the server decides whether this user may).
    const proposable = this.tagsUrl && SLUG.test(token) && !this.tags.some((t) => t.slug.toLowerCase() === token);
    this.suggestions.replaceChildren(
      ...matches.map(({ t }, i) =>
        h(
          "li",
          { role: "option", id: `tag-option-${i}`, dataset: { slug: t.slug }, title: t.description || t.name },
          h("span", { class: "tag-chip", dataset: { tag: t.slug } }, t.slug),
          " ",
          h("span", { class: "hint" }, truncate(t.name, 60)),
        ),
      ),
      ...(proposable
        ? [h("li", { role: "option", id: `tag-option-${matches.length}`, dataset: { slug: token, propose: "" } },
            "Propose a new tag ", h("span", { class: "tag-chip" }, token))]
        : []),
    );
    for (const li of this.suggestions.children) {
      li.addEventListener("mousedown", (event) => {
        event.preventDefault();
        this.choose(li);
      });
    }
    this.active = (matches.length || proposable) && token ? 0 : -1;
    this.suggestions.hidden = !matches.length && !proposable;
    this.tagInput.setAttribute("aria-expanded", String(!this.suggestions.hidden));
    this.highlightSuggestion();
  }

  highlightSuggestion() {
    [...this.suggestions.children].forEach((li, i) => li.setAttribute("aria-selected", String(i === this.active)));
    if (this.active >= 0) this.tagInput.setAttribute("aria-activedescendant", `tag-option-${this.active}`);
    else this.tagInput.removeAttribute("aria-activedescendant");
  }

  choose(option) {
    if ("propose" in option.dataset) this.propose(option.dataset.slug);
    else this.pick(option.dataset.slug);
  }

  // Propose the tag to the project's codebook: usable at once by its proposer, accepted later by a moderator.
  propose(slug) {
    this.proposing = this.sendProposal(slug).finally(() => {
      this.proposing = null;
    });
    return this.proposing;
  }

  async sendProposal(slug) {
    this.hideSuggestions();
    try {
      const tag = await request("POST", this.tagsUrl, { body: { slug, name: slug.replace(/[-_]+/g, " "), propose: true } });
      this.tags.push({ slug: tag.slug, name: tag.name, colour: tag.colour, description: tag.description || "" });
      this.pick(tag.slug);
    } catch (error) {
      this.showError("tags", `Could not propose "${slug}": ${error.message}`);
    }
  }

  pick(slug) {
    const value = this.tagInput.value;
    const head = value.slice(0, value.lastIndexOf(",") + 1);
    const before = head
      .split(",")
      .map((t) => t.trim())
      .filter(Boolean);
    this.tagInput.value = [...before, slug].join(", ") + ", ";
    this.renderCodings();
    this.hideSuggestions();
    this.tagInput.focus();
  }

  hideSuggestions() {
    this.suggestions.hidden = true;
    this.active = -1;
    this.tagInput.setAttribute("aria-expanded", "false");
  }
}
