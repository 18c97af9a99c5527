// What the map and the comparison share: their filter forms, their loader, and the reader's deep link to a claim.

import { SUPERSEDED, latestOnly, pageUrl } from "./http.js";

// The reader page's deep link to a claim (the reader scrolls to and highlights #claim-{id}); the page's
// template gives the reader's address in data-reader-url.
export function readerUrl(element, paper, claimId) {
  return `${pageUrl(element, "readerUrl", { paper })}#claim-${claimId}`;
}

// A filter's value as the API takes it: a checkbox gives its value only when ticked.
function fieldValue(field) {
  if (field.type === "checkbox") return field.checked ? field.value : "";
  return field.value;
}

// Set a filter from the page's query string (a checkbox is ticked when the query holds its value).
export function setField(field, value) {
  if (field.type === "checkbox") field.checked = value === field.value;
  else field.value = value;
}

// The filters of `form` named in `names` as a query string (the empty ones left out).
export function filterParams(form, names) {
  const params = new URLSearchParams();
  for (const name of names) {
    const value = fieldValue(form.elements[name]);
    if (value) params.set(name, value);
  }
  return params;
}

// The loader of a page drawn from one API answer for its filters (the map, the comparison): it keeps the
// page's address in step with the filters, marks `element` loading / error, says so in `status`, and lets a
// newer choice of filters win. It resolves to the answer, or to null when there is nothing to draw.
export function filteredLoader(element, status) {
  const fetchLatest = latestOnly();
  return async (params, shown = params) => {
    element.dataset.state = "loading";
    status.textContent = "Loading…";
    history.replaceState(null, "", `${location.pathname}${shown.size ? `?${shown}` : ""}`);
    let answer;
    try {
      answer = await fetchLatest(`${pageUrl(element, "api")}?${params}`);
    } catch (error) {
      element.dataset.state = "error";
      status.textContent = error.message;
      return null;
    }
    return answer === SUPERSEDED ? null : answer; // a newer choice of filters is on its way
  };
}
