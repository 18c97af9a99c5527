// The codebook page: moderators add, edit (rename, recolour, describe, move), merge, delete, accept and reject
// tags and import a codebook file; analysts propose tags. Every change goes through the API; the server decides
// and refuses in the one error shape, shown beside the field it names. After a change the page is read again.
import { HttpError, errorText, pageUrl, request } from "./http.js";
import { h } from "./dom.js";

const root = document.querySelector("[data-codebook]");
const data = JSON.parse(document.getElementById("codebook-data").textContent);
const bySlug = new Map(data.tags.map((tag) => [tag.slug, tag]));
const NOTICE_KEY = "codebook-notice";

const status = root.querySelector("[data-codebook-status]");
const tagForm = root.querySelector("[data-tag-form]");
const mergeForm = root.querySelector("[data-merge-form]");
const importForm = root.querySelector("[data-import-form]");
let editing = null; // the slug of the tag being edited, or null when the form adds (or proposes) one

// Colours come as data attributes and are set through the CSSOM (the CSP forbids inline style attributes).
for (const swatch of root.querySelectorAll("[data-colour]")) swatch.style.backgroundColor = swatch.dataset.colour;

const notice = sessionStorage.getItem(NOTICE_KEY);
if (notice) {
  status.textContent = notice;
  sessionStorage.removeItem(NOTICE_KEY);
}

function done(message) {
  sessionStorage.setItem(NOTICE_KEY, message);
  window.location.reload();
}

function clearErrors(scope) {
  for (const el of [...scope.querySelectorAll("[data-error-for]"), root.querySelector('[data-error-for="detail"]')]) {
    el.hidden = true;
    el.textContent = "";
  }
}

// A refusal's messages beside the fields they name; what names no field of this form at the top of the page.
function showError(scope, error) {
  const fields = error instanceof HttpError ? error.fields : { detail: errorText(error) };
  let focused = false;
  for (const [field, message] of Object.entries(fields)) {
    const slot = scope.querySelector(`[data-error-for="${CSS.escape(field)}"]`) ||
      root.querySelector('[data-error-for="detail"]');
    slot.textContent = slot.textContent ? `${slot.textContent} ${message}` : message;
    slot.hidden = false;
    const input = scope.elements?.[field];
    if (input && !focused) {
      input.focus();
      focused = true;
    }
  }
  if (!focused) root.querySelector('[data-error-for="detail"]').focus?.();
}

const tagUrl = (slug) => pageUrl(root, "tagUrl", { slug });
const actionUrl = (slug, action) => pageUrl(root, "actionUrl", { slug, action });

// The tag and every tag under it (a merge target may be none of them).
function inside(slug) {
  const found = new Set([slug]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const tag of data.tags) {
      if (tag.parent && found.has(tag.parent) && !found.has(tag.slug)) {
        found.add(tag.slug);
        grew = true;
      }
    }
  }
  return found;
}

// --- add, propose, edit ---

function resetTagForm() {
  editing = null;
  tagForm.reset();
  tagForm.elements.slug.disabled = false;
  for (const option of tagForm.elements.parent.options) option.disabled = false;
  tagForm.querySelector("[data-tag-form-title]").textContent = root.hasAttribute("data-can-edit") ? "New tag" : "Propose a tag";
  tagForm.querySelector("[data-tag-save]").textContent = root.hasAttribute("data-can-edit") ? "Add tag" : "Propose";
  tagForm.querySelector("[data-tag-cancel]").hidden = true;
  clearErrors(tagForm);
}

function openEdit(slug) {
  const tag = bySlug.get(slug);
  resetTagForm();
  editing = slug;
  const { elements } = tagForm;
  elements.slug.value = tag.slug;
  elements.name.value = tag.name;
  elements.description.value = tag.description;
  elements.colour.value = tag.colour;
  elements.parent.value = tag.parent || "";
  const mine = inside(slug);
  for (const option of elements.parent.options) option.disabled = mine.has(option.value);
  tagForm.querySelector("[data-tag-form-title]").textContent = `Edit ${slug}`;
  tagForm.querySelector("[data-tag-save]").textContent = "Save";
  tagForm.querySelector("[data-tag-cancel]").hidden = false;
  tagForm.scrollIntoView({ block: "nearest" });
  elements.name.focus();
}

async function saveTag(event) {
  event.preventDefault();
  clearErrors(tagForm);
  const { elements } = tagForm;
  const body = {
    slug: elements.slug.value.trim(),
    name: elements.name.value,
    description: elements.description.value,
    colour: elements.colour.value,
    parent: elements.parent.value || null,
  };
  try {
    if (editing) {
      const before = bySlug.get(editing);
      const changes = Object.fromEntries(Object.entries(body).filter(([key, value]) => (before[key] ?? null) !== value));
      if (!Object.keys(changes).length) return resetTagForm();
      const tag = await request("PATCH", tagUrl(editing), { body: changes });
      done(`Saved ${tag.slug}.`);
    } else {
      if (!root.hasAttribute("data-can-edit")) body.propose = true;
      const tag = await request("POST", pageUrl(root, "tagsUrl"), { body });
      done(tag.status === "proposed" ? `Proposed ${tag.slug}: you can use it at once.` : `Added ${tag.slug}.`);
    }
  } catch (error) {
    showError(tagForm, error);
  }
}

// --- merge, reject ---

let merging = null; // { slug, reject }

function openMerge(slug, reject) {
  merging = { slug, reject };
  clearErrors(mergeForm);
  mergeForm.reset();
  const select = mergeForm.querySelector("[data-merge-into]");
  const mine = inside(slug);
  select.replaceChildren(
    ...(reject ? [h("option", { value: "" }, "(none: remove it; only when unused)")] : []),
    ...data.tags
      .filter((tag) => !mine.has(tag.slug) && tag.status === "accepted")
      .map((tag) => h("option", { value: tag.slug }, `${tag.slug} — ${tag.name}`)),
  );
  mergeForm.querySelector("[data-merge-title]").textContent = reject ? `Reject the proposal ${slug}` : `Merge ${slug} into…`;
  mergeForm.querySelector("[data-merge-submit]").textContent = reject ? "Reject" : "Merge";
  mergeForm.querySelector("[data-reason-field]").hidden = !reject;
  mergeForm.hidden = false;
  select.focus();
}

function closeMerge() {
  mergeForm.hidden = true;
  const back = merging && root.querySelector(`tr[data-tag="${CSS.escape(merging.slug)}"] [data-act="${merging.reject ? "reject" : "merge"}"]`);
  merging = null;
  back?.focus();
}

function merged(report, slug, into) {
  const parts = [`${report.codings_moved} coding(s) moved`];
  if (report.codings_dropped) parts.push(`${report.codings_dropped} claim(s) already had ${into}`);
  if (report.stance_conflicts.length) parts.push(`${report.stance_conflicts.length} kept their stance on ${into}`);
  if (report.children_moved) parts.push(`${report.children_moved} sub-tag(s) moved`);
  return `Merged ${slug} into ${into}: ${parts.join(", ")}.`;
}

async function submitMerge(event) {
  event.preventDefault();
  clearErrors(mergeForm);
  const { slug, reject } = merging;
  const into = mergeForm.elements.into.value || null;
  try {
    if (reject) {
      const answer = await request("POST", actionUrl(slug, "reject"), {
        body: { into, reason: mergeForm.elements.reason.value },
      });
      done(answer.merge ? `Rejected ${slug}. ${merged(answer.merge, slug, into)}` : `Rejected ${slug}: removed.`);
    } else {
      const report = await request("POST", actionUrl(slug, "merge"), { body: { into } });
      done(merged(report, slug, into));
    }
  } catch (error) {
    showError(mergeForm, error);
  }
}

// --- row buttons ---

async function act(event) {
  const button = event.target.closest("[data-act]");
  if (!button) return;
  const slug = button.closest("tr[data-tag]").dataset.tag;
  clearErrors(root);
  try {
    switch (button.dataset.act) {
      case "edit":
        return openEdit(slug);
      case "merge":
        return openMerge(slug, false);
      case "reject":
        return openMerge(slug, true);
      case "accept": {
        await request("POST", actionUrl(slug, "accept"));
        return done(`Accepted ${slug}: every analyst can use it now.`);
      }
      case "delete": {
        await request("DELETE", tagUrl(slug));
        return done(`Deleted ${slug}.`);
      }
    }
  } catch (error) {
    // A tag in use cannot be deleted: offer the merge that can, with the reason beside it.
    if (button.dataset.act === "delete" && error instanceof HttpError && error.fields.into) {
      openMerge(slug, false);
      showError(mergeForm, error);
    } else {
      showError(root.querySelector('[data-error-for="detail"]').parentElement, error);
    }
  }
}

// --- import ---

async function importFile(event) {
  event.preventDefault();
  const problems = importForm.querySelector("[data-import-problems]");
  problems.hidden = true;
  problems.replaceChildren();
  const file = importForm.elements.file.files[0];
  if (!file) {
    problems.append(h("li", {}, "Choose a file to import."));
    problems.hidden = false;
    return;
  }
  const form = new FormData();
  form.append("file", file);
  const dryRun = importForm.elements.dry_run.checked;
  try {
    const report = await request("POST", pageUrl(root, "importUrl") + (dryRun ? "?dry_run=true" : ""), { body: form });
    const line = `${report.created.length} created, ${report.updated.length} updated, ${report.unchanged.length} unchanged`;
    if (dryRun) {
      status.textContent = `The file is fine (${report.format}): it would give ${line}. Nothing was written.`;
    } else {
      done(`Imported ${file.name}: ${line}.`);
    }
  } catch (error) {
    const fields = error instanceof HttpError ? error.fields : { detail: errorText(error) };
    problems.append(...Object.entries(fields).map(([place, message]) => h("li", {}, place === "detail" ? message : `${place}: ${message}`)));
    problems.hidden = false;
    importForm.elements.file.focus();
  }
}

tagForm?.addEventListener("submit", saveTag);
tagForm?.querySelector("[data-tag-cancel]").addEventListener("click", resetTagForm);
tagForm?.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && editing) {
    const slug = editing;
    resetTagForm();
    root.querySelector(`tr[data-tag="${CSS.escape(slug)}"] [data-act="edit"]`)?.focus();
  }
});
mergeForm?.addEventListener("submit", submitMerge);
mergeForm?.querySelector("[data-merge-cancel]").addEventListener("click", closeMerge);
mergeForm?.addEventListener("keydown", (event) => {
  if (event.key === "Escape") closeMerge();
  // A <select> does not submit its form on Enter as a text field does: this one does.
  if (event.key === "Enter" && event.target.tagName === "SELECT") {
    event.preventDefault();
    mergeForm.requestSubmit();
  }
});
importForm?.addEventListener("submit", importFile);
root.querySelector("[data-codebook-tree]").addEventListener("click", act);
root.dataset.ready = "";
