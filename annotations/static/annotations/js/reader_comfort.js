// Reading comfort around the reader: table of contents, find in the paper, the claims-panel filter, drafts of the
// claim form, and the text by keyboard. Each piece is its own module; this one places them on the page.

import { installClaimsFilter } from "./claims_filter.js";
import { h } from "./dom.js";
import { installDrafts } from "./drafts.js";
import { installFind } from "./find_in_paper.js";
import { errorText, getJSON } from "./http.js";
import { installKeyboard } from "./keyboard_select.js";
import { offsetsToRange } from "./offsets.js";
import { installToc } from "./reader_toc.js";

function whenIdle(fn) {
  if (typeof requestIdleCallback === "function") requestIdleCallback(fn, { timeout: 300 });
  else setTimeout(fn, 50);
}

// The cursor at a range's start, and the focus in the text: from there the keyboard can select.
function focusAt(text, range) {
  if (range) window.getSelection().collapse(range.startContainer, range.startOffset);
  text.focus({ preventScroll: true });
}

function rectOf(text, target) {
  const range = target ? offsetsToRange(text, target.start, target.end) : null;
  if (!range) return text.getBoundingClientRect();
  const rect = range.getBoundingClientRect();
  if (rect.top < 0 || rect.bottom > window.innerHeight) {
    window.scrollBy({ top: rect.top - window.innerHeight / 4, behavior: "instant" });
    return range.getBoundingClientRect();
  }
  return rect;
}

// claims(): the page's decoded claims; onFilter(shown): the panel's filter changed (see claims_filter.js).
export function installComfort({ text, list, form, popoverEl, urls, paper, say, claims, onFilter }) {
  const toolbar = document.querySelector(".reader .toolbar");
  const annotateButton = document.querySelector("[data-annotate-selection]");
  const find = installFind(text, toolbar, { onLeave: (range) => focusAt(text, range) });
  // Showing the source changes the text that is seen: the hits are found again in it.
  document.querySelector("[data-show-source]")?.addEventListener("change", () => {
    if (find.input.value.trim()) find.search({ keepPlace: true });
  });
  const toc = installToc(text, text, { onGo: (range) => focusAt(text, range) });
  const filter = installClaimsFilter(list, { claims, onFilter });
  // What walks the whole text or panel waits until the highlights are painted (a paper may carry thousands).
  whenIdle(() => {
    toc.draw();
    filter.refresh();
    document.body.dataset.comfortReady = "true";
  });
  installKeyboard(text, {
    panel: list,
    popoverEl,
    toolbar,
    annotate: () => (annotateButton ? annotateButton.click() : say("You can read; only analysts and moderators annotate.")),
  });
  const aids = { find, toc, filter };
  if (!form) return aids;
  const notices = h("div", { class: "draft-notices", "data-draft-notices": true, hidden: true });
  toolbar.after(notices);
  const user = document.querySelector('meta[name="sco-user"]')?.content;
  installDrafts(form, {
    user,
    paper,
    notices,
    resume: async (draft) => {
      if (!draft.claim) {
        form.openForCreate(draft.target, rectOf(text, draft.target));
        return;
      }
      try {
        const claim = await getJSON(`${urls.claims}${encodeURIComponent(draft.claim.id)}/`);
        form.openForEdit(claim, rectOf(text, claim.target));
      } catch (error) {
        say(`Could not open that claim (${errorText(error)}).`);
      }
    },
  });
  return aids;
}
