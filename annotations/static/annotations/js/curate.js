// The curation page: each button or form sends one decision on one unit to the curation API
// (POST /api/v1/papers/{slug}/curation/{accept,merge,edit,reject}/) and, once it is taken, the page comes back
// at that unit with the decision shown. Everything is a button, a radio or a field: the keyboard does it all.

import { errorText, request } from "./http.js";

const board = document.querySelector("[data-curation]");
const errorBox = document.querySelector("[data-curation-error]");

// The board's API address comes from the page ({% url %}); each decision is a path under it.
function api(action) {
  return `${board.dataset.api}${action}/`;
}

function showError(text) {
  errorBox.textContent = text;
  errorBox.hidden = false;
}

// "slug:stance, slug:stance" -> [{tag, stance}]; a slug alone affirms.
export function parseTags(text) {
  return text
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean)
    .map((item) => {
      const [tag, stance] = item.split(":").map((part) => part.trim());
      return { tag, stance: stance || "affirms" };
    });
}

function bodyOf(action, form, versions) {
  const data = new FormData(form);
  const body = { versions, reason: (data.get("reason") || "").trim() };
  if (action === "merge") {
    for (const part of ["quote", "statement", "tags", "speaker", "links"]) body[part] = data.get(part);
  } else if (action === "edit") {
    body.base = data.get("base");
    const statement = (data.get("statement") || "").trim();
    const speaker = (data.get("speaker") || "").trim();
    const tags = (data.get("tags") || "").trim();
    if (statement) body.statement = statement;
    if (speaker) body.speaker = speaker;
    if (tags) body.tags = parseTags(tags);
  }
  return body;
}

async function decide(unit, action, body, control) {
  control.disabled = true;
  errorBox.hidden = true;
  try {
    await request("POST", api(action), { body });
  } catch (error) {
    control.disabled = false;
    showError(errorText(error));
    return;
  }
  // Back at this unit, decided: the server renders the decision and the curated claim.
  window.location.hash = unit.id;
  window.location.reload();
}

if (board) {
  board.addEventListener("click", (event) => {
    const button = event.target.closest("[data-accept]");
    if (!button) return;
    const unit = button.closest("[data-unit]");
    const versions = unit.dataset.versions.split(" ");
    decide(unit, "accept", { versions, keep: button.dataset.accept }, button);
  });
  board.addEventListener("submit", (event) => {
    const form = event.target.closest("form[data-decide]");
    if (!form) return;
    event.preventDefault();
    const unit = form.closest("[data-unit]");
    const action = form.dataset.decide;
    const versions = unit.dataset.versions.split(" ");
    decide(unit, action, bodyOf(action, form, versions), form.querySelector("button[type=submit]"));
  });
  const target = window.location.hash && document.getElementById(window.location.hash.slice(1));
  if (target) target.focus();
}
