// Drafts of the claim form, kept in localStorage per user, paper and claim ("new" for a claim being made) from
// the first key typed until the claim is saved or the draft is discarded with the form's "Discard" button. Closing
// the form (Esc, Cancel, a click on a highlight) only hides it: opening it again, or reloading the page, brings the
// text back. Storage that is full or refused (private modes) leaves the form working as before, without drafts.

import { h } from "./dom.js";

const FIELDS = ["statement", "stance", "speaker", "tags", "note"];
const TYPED = ["statement", "speaker", "tags", "note"];

function storageKey(user, paper, claimId) {
  return `sco-claims:draft:${user}:${paper}:${claimId || "new"}`;
}

// A stored draft (any JSON value), or null; write(key, null) forgets it. Also the "Link to…" form's drafts.
export function read(key) {
  try {
    return JSON.parse(localStorage.getItem(key) || "null");
  } catch {
    return null;
  }
}

export function write(key, value) {
  try {
    if (value) localStorage.setItem(key, JSON.stringify(value));
    else localStorage.removeItem(key);
  } catch {
    // Storage refused: the form still works, only without drafts.
  }
}

// Every draft of this user on this paper, newest first.
function draftsOf(user, paper) {
  const prefix = storageKey(user, paper, "");
  const base = prefix.slice(0, -"new".length);
  const found = [];
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (key && key.startsWith(base)) {
        const draft = read(key);
        if (draft) found.push({ key, ...draft });
      }
    }
  } catch {
    return [];
  }
  return found.sort((a, b) => (b.at || "").localeCompare(a.at || ""));
}

// form: the page's ClaimForm. resume(draft) opens the form again on a draft found after a reload.
export function installDrafts(form, { user, paper, notices, resume }) {
  if (!user) return null;
  const el = form.form;
  const keyNow = () => storageKey(user, paper, form.claim ? form.claim.id : null);
  let restoring = false;

  function fields() {
    return Object.fromEntries(FIELDS.map((name) => [name, el.elements[name].value]));
  }

  function hasText(values) {
    return TYPED.some((name) => values[name] && values[name].trim());
  }

  function keep() {
    if (restoring || !form.open) return;
    const values = fields();
    const key = keyNow();
    if (!hasText(values)) {
      write(key, null);
      return;
    }
    write(key, {
      fields: values,
      tagStances: [...form.tagStances],
      target: form.target,
      claim: form.claim ? { id: form.claim.id, version: form.claim.version } : null,
      at: new Date().toISOString(),
    });
    drawNotices();
  }

  function fill(draft) {
    restoring = true;
    for (const name of FIELDS) if (draft.fields[name] !== undefined) el.elements[name].value = draft.fields[name];
    form.tagStances = new Map(draft.tagStances || []);
    form.renderCodings();
    restoring = false;
    el.dataset.draft = "restored";
  }

  // Wrap the form's openings: what was typed comes back into the fields the opening has just reset.
  const openForCreate = form.openForCreate.bind(form);
  form.openForCreate = (target, rect, options) => {
    openForCreate(target, rect, options);
    const draft = read(keyNow());
    if (draft && !hasText(fields())) fill(draft);
    keep();
  };
  const openForEdit = form.openForEdit.bind(form);
  form.openForEdit = (claim, rect) => {
    openForEdit(claim, rect);
    const draft = read(keyNow());
    if (!draft) return;
    fill(draft);
    // The claim changed since the draft was typed: say so, since saving would replace the newer words.
    if (!draft.claim || draft.claim.version !== claim.version) {
      form.showError("general", "This claim changed since your draft was typed: check it before saving (Discard keeps the claim as it is).");
    }
  };

  // Saved: its draft goes (the key is taken before the form forgets which claim it held).
  const save = form.save.bind(form);
  let saving = null;
  form.save = () => {
    saving = keyNow();
    return save();
  };
  const onSaved = form.onSaved;
  form.onSaved = async (claim, created) => {
    write(saving, null);
    delete el.dataset.draft;
    drawNotices();
    return onSaved(claim, created);
  };

  const discard = h("button", { type: "button", "data-discard-draft": true, title: "Empty the form and forget its draft" }, "Discard");
  el.querySelector("[data-cancel]").after(discard);
  discard.addEventListener("click", () => {
    write(keyNow(), null);
    delete el.dataset.draft;
    el.reset();
    form.tagStances.clear();
    form.renderCodings();
    form.close();
    drawNotices();
  });

  el.addEventListener("input", keep);
  el.addEventListener("change", keep);
  el.addEventListener("click", (event) => {
    if (event.target.closest("[data-coding]")) keep();
  });

  // After a reload: a line per draft, to take it up again or throw it away.
  function drawNotices() {
    if (!notices) return;
    const drafts = draftsOf(user, paper).filter((d) => !(form.open && d.key === keyNow()));
    notices.replaceChildren(
      ...drafts.map((draft) =>
        h(
          "p",
          { class: "draft-notice", "data-draft-notice": draft.claim ? draft.claim.id : "new" },
          draft.claim ? "Unsaved changes to a claim: " : "Unsaved new claim: ",
          h("q", {}, (draft.fields.statement || draft.fields.tags || draft.fields.note || "").slice(0, 80)),
          " ",
          h("button", { type: "button", "data-resume-draft": true, onclick: () => resume(draft) }, "Resume"),
          " ",
          h(
            "button",
            {
              type: "button",
              "data-drop-draft": true,
              onclick: () => {
                write(draft.key, null);
                drawNotices();
              },
            },
            "Discard",
          ),
        ),
      ),
    );
    notices.hidden = !drafts.length;
  }

  const close = form.close.bind(form);
  form.close = () => {
    close();
    drawNotices();
  };
  drawNotices();
  return { drawNotices };
}
