// The popover's "Find in other papers": passages in papers by other authors of the project that likely say the
// same as the claim, or the opposite (GET /api/v1/claims/{id}/suggestions/). Accept makes, in one step, a pending
// claim on the passage (the claim's tags; stances flipped for "opposite") and a pending link to this claim
// (supports / conflicts): an analyst going through a list wants to keep going, and both stay editable and are
// reviewed like any other. "Not relevant" is remembered for this claim. Buttons are plain buttons: Tab and
// Enter work through the list.

import { h, truncate } from "./dom.js";
import { errorText, getJSON, request } from "./http.js";

const RELATION_LABEL = { same: "says the same", opposite: "says the opposite" };

// popover: the ClaimPopover (its claim, urls, paperLine and readerOf); box: the element the list goes into;
// canJudge: whether the user may accept or reject (the claim's `link` action).
export async function loadSuggestions(popover, box, { canJudge }) {
  const claim = popover.claim;
  const url = popover.claimUrl(claim.id, "suggestions/");
  box.replaceChildren(h("p", { class: "hint", role: "status" }, "Looking in the other papers…"));
  let answer;
  try {
    answer = await getJSON(`${url}?k=10`);
  } catch (error) {
    box.replaceChildren(h("p", { class: "error" }, errorText(error)));
    return;
  }
  if (popover.claim !== claim) return; // another claim was opened meanwhile
  if (!answer.results.length) {
    box.replaceChildren(h("p", { class: "hint" }, "Nothing found in the other authors' papers."));
    return;
  }
  const list = h("ol", { class: "suggestions", "data-suggestions": true });
  for (const found of answer.results) list.append(item(popover, url, found, canJudge));
  box.replaceChildren(list);
}

function item(popover, url, found, canJudge) {
  const status = h("p", { class: "meta", role: "status" });
  const li = h(
    "li",
    { class: "link-item", "data-suggestion": `${found.paper}:${found.start}-${found.end}` },
    h("p", { class: "other-quote" }, "“", truncate(found.exact, 300), "”"),
    h(
      "p",
      { class: "meta" },
      popover.paperLine(found.paper),
      found.relation ? [" · ", h("strong", { "data-relation": found.relation }, RELATION_LABEL[found.relation])] : null,
      found.claim ? [" · ", h("a", { href: popover.urls.readerOf(found.paper, found.claim) }, "a claim is there")] : null,
    ),
  );
  const passage = { paper: found.paper, start: found.start, end: found.end };
  const actions = h("p", { class: "actions" });
  const accept = (relation) =>
    h(
      "button",
      { type: "button", "data-accept": relation, onclick: () => send("accept/", { ...passage, relation, score: found.score, claim: found.claim }) },
      relation === "same" ? "Accept: same" : "Accept: opposite",
    );
  // The suggested relation's button first; unsure: both, "same" first.
  const order = found.relation === "opposite" ? ["opposite", "same"] : ["same", "opposite"];
  if (canJudge) {
    actions.append(accept(order[0]), " ", accept(order[1]), " ");
    actions.append(h("button", { type: "button", class: "link", "data-not-relevant": true, onclick: () => send("reject/", passage) }, "Not relevant"));
    li.append(actions);
  }
  li.append(status);

  async function send(tail, body) {
    for (const button of actions.querySelectorAll("button")) button.disabled = true;
    let answer;
    try {
      answer = await request("POST", `${url}${tail}`, { body });
    } catch (error) {
      status.textContent = errorText(error);
      for (const button of actions.querySelectorAll("button")) button.disabled = false;
      return;
    }
    actions.remove();
    if (tail === "reject/") {
      status.textContent = "Not relevant: it will not be suggested for this claim again.";
      return;
    }
    status.replaceChildren(
      found.claim ? "Linked to the claim there (pending). " : "Claim and link made (pending). ",
      h("a", { href: popover.urls.readerOf(found.paper, answer.claim.id), "data-go-claim": answer.claim.id }, "Open it to edit →"),
    );
    popover.loadLinks();
  }
  return li;
}
