// The moderation queue, from the keyboard: j/k move, a approves, r goes to the reason (Enter rejects);
// on the "recently decided" tab, o reopens. The forms work without this script (they post and come back);
// with it, a decision is sent with fetch, the item leaves the queue in place (the moderator keeps their
// position) and the counts are set from the server's answer, never counted down here.

import { errorText, request } from "./http.js";

const queue = document.querySelector("[data-moderation-queue]");

function items() {
  return [...queue.querySelectorAll("[data-queue-item]")];
}

let current = 0;

function select(index, { focus = true } = {}) {
  const all = items();
  if (all.length === 0) return;
  current = Math.max(0, Math.min(index, all.length - 1));
  all.forEach((item, i) => {
    item.classList.toggle("current", i === current);
    if (i === current) item.setAttribute("aria-current", "true");
    else item.removeAttribute("aria-current");
  });
  const item = all[current];
  if (focus) item.focus({ preventScroll: true });
  item.scrollIntoView({ block: "nearest" });
}

function currentItem() {
  return items()[current];
}

function showError(form, text) {
  const box = form.querySelector("[data-error]");
  box.textContent = text;
  box.hidden = false;
}

const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

function summaryText(show, claims, links) {
  if (show === "decided") {
    if (!claims && !links) return "Nothing decided yet.";
    return `${plural(claims, "decided claim")} and ${plural(links, "decided link")}, newest decision first.`;
  }
  if (!claims && !links) return "Nothing pending.";
  return `${plural(claims, "pending claim")} and ${plural(links, "pending link")}, oldest first.`;
}

function updateCounts(data) {
  for (const badge of document.querySelectorAll("[data-pending-count]")) badge.textContent = String(data.pending);
  const summary = document.querySelector("[data-queue-summary]");
  const counts = data.counts && data.counts[queue.dataset.show];
  if (!summary || !counts) return;
  summary.dataset.claims = String(counts.claims);
  summary.dataset.links = String(counts.links);
  summary.textContent = summaryText(queue.dataset.show, counts.claims, counts.links);
  // A list emptied on this page: say whether more are waiting on the next load.
  for (const [kind, count] of [["claims", counts.claims], ["links", counts.links]]) {
    const section = queue.querySelector(`[data-queue-section="${kind}"]`);
    if (!section || section.querySelector("[data-queue-item]")) continue;
    const empty = section.querySelector("[data-queue-empty]");
    if (count > 0) {
      const more = document.createElement("a");
      // The first page of the same queue: its project and tab kept, the page numbers left out.
      const kept = new URLSearchParams();
      const current = new URLSearchParams(window.location.search);
      if (current.get("project")) kept.set("project", current.get("project"));
      if (queue.dataset.show === "decided") kept.set("show", "decided");
      more.href = window.location.pathname + (kept.size ? `?${kept}` : "");
      more.textContent = "show them";
      empty.replaceChildren(`${count} more ${kind} on other pages: `, more);
    }
    empty.hidden = false;
  }
}

async function decide(form, submitter) {
  const item = form.closest("[data-queue-item]");
  const body = new FormData(form, submitter);
  item.setAttribute("aria-busy", "true");
  try {
    const data = await request("POST", form.action, { body });
    const index = items().indexOf(item);
    item.remove();
    updateCounts(data);
    select(index);
  } catch (error) {
    showError(form, error.status === 0 ? `Not sent: ${errorText(error)}` : errorText(error));
    if (submitter && submitter.value === "reject") form.querySelector("[data-reason]").focus();
  } finally {
    item.removeAttribute("aria-busy");
  }
}

function isTyping(target) {
  return target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target.isContentEditable;
}

function onKey(event) {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const item = currentItem();
  if (!item) return;
  const form = item.querySelector("[data-decide-form]");
  if (isTyping(event.target)) {
    if (event.key === "Enter" && event.target.matches("[data-reason]")) {
      event.preventDefault();
      const targetForm = event.target.closest("[data-decide-form]");
      targetForm.requestSubmit(targetForm.querySelector("[data-reject]"));
    } else if (event.key === "Escape") {
      event.target.blur();
      select(current);
    }
    return;
  }
  if (event.key === "j") select(current + 1);
  else if (event.key === "k") select(current - 1);
  else if (event.key === "a" && form.querySelector("[data-approve]")) form.requestSubmit(form.querySelector("[data-approve]"));
  else if (event.key === "o" && form.querySelector("[data-reopen]")) form.requestSubmit(form.querySelector("[data-reopen]"));
  else if (event.key === "r" && form.querySelector("[data-reason]")) {
    event.preventDefault(); // the "r" must not be typed into the reason
    form.querySelector("[data-reason]").focus();
  } else return;
  event.preventDefault();
}

if (queue) {
  queue.addEventListener("submit", (event) => {
    event.preventDefault();
    decide(event.target, event.submitter || event.target.querySelector("[data-approve], [data-reopen]"));
  });
  // Clicking into an item makes it the current one.
  queue.addEventListener("focusin", (event) => {
    const item = event.target.closest("[data-queue-item]");
    if (item) {
      const index = items().indexOf(item);
      if (index !== current) select(index, { focus: false });
    }
  });
  document.addEventListener("keydown", onKey);
  select(0);
  queue.dataset.ready = "true";
}
