// The reader's claims panel, drawn from the claims' data (claims_data.js): each claim a li[data-claim-id]
// in text order, then those not placed on the text.

import { h } from "./dom.js";
import { pageLabel } from "./pages.js";

// The claims panel, drawn from the claims' data (each a li[data-claim-id], in text order). Thousands of
// items: each is a clone of one built once, its texts filled in (several times faster than building each).
const placedItem = h(
  "li",
  { class: "claim-item", tabindex: "0" },
  h("p", { class: "statement" }),
  h("p", { class: "meta" }, h("span", { class: "stance" })),
  h("p", { class: "meta" }, h("span", { class: "speaker" }), " · ", h("span", {}), " · by ", h("span", { class: "who-made" })),
);

function panelEntry(claim) {
  if (claim.unplaced) {
    return h(
      "li",
      { class: "claim-item unplaced", dataset: { claimId: claim.id }, tabindex: "0" },
      h("p", { class: "statement" }, claim.statement),
      h("p", { class: "meta" }, h("span", { class: `status status-${claim.status}` }, claim.status), ` · “${claim.quote}” · by ${claim.createdBy}`),
    );
  }
  const li = placedItem.cloneNode(true);
  li.dataset.claimId = claim.id;
  li.dataset.start = claim.start;
  const [statement, tags, who] = li.children;
  statement.textContent = claim.statement;
  const stance = tags.firstChild;
  stance.dataset.stance = claim.stance;
  stance.textContent = claim.stance;
  for (const slug of claim.tags) tags.append(" ", h("span", { class: "tag-chip", dataset: { tag: slug } }, slug));
  if (claim.pages) tags.append(" · ", h("span", { class: "pages", "data-pages": true }, pageLabel(claim.pages)));
  const [speaker, status, maker] = who.children;
  speaker.textContent = claim.speaker || "the authors";
  status.className = `status status-${claim.status}`;
  status.textContent = claim.status;
  maker.textContent = claim.createdBy;
  return li;
}

// The claims panel: every change to the page's DOM makes the browser lay out the list and validate the
// painted highlights again, so it is built in one go after the highlights' first paint, and after a change
// only the items that changed are touched (an item is kept while its claim's data is the same).
function panelKey(claim) {
  return [claim.statement, claim.stance, claim.tags.join(), claim.speaker, claim.status, claim.createdBy, claim.pages]
    .join("\u0000");
}

export function drawPanel(panel, claims, { canAnnotate }) {
  const old = new Map();
  for (const li of panel.children) if (li.dataset.claimId && !li.classList.contains("unplaced")) old.set(li.dataset.claimId, li);
  const items = claims.placed.map((claim) => {
    const key = panelKey(claim);
    let li = old.get(claim.id);
    if (!li || li.panelKey !== key) {
      li = panelEntry(claim);
      li.panelKey = key;
    }
    return li;
  });
  if (!items.length) {
    const hint = canAnnotate ? " Select a passage to make one." : "";
    items.push(h("li", { class: "empty" }, `No claims yet.${hint}`));
  }
  if (claims.unplaced.length) {
    items.push(h("li", { class: "unplaced-head" }, `Not placed on this text (${claims.unplaced.length})`));
    items.push(...claims.unplaced.map(panelEntry));
  }
  let cursor = panel.firstChild;
  for (const li of items) {
    if (li === cursor) cursor = cursor.nextSibling;
    else panel.insertBefore(li, cursor);
  }
  while (cursor) {
    const next = cursor.nextSibling;
    cursor.remove();
    cursor = next;
  }
}
