// What the map and the comparison share: their filter forms, and the reader's deep link to a claim.

import { pageUrl } from "./http.js";

// The reader page's deep link to a claim (the reader scrolls to and highlights #claim-{id}); the page's
// template gives the reader's address in data-reader-url.
export function readerUrl(element, paper, claimId) {
  return `${pageUrl(element, "readerUrl", { paper })}#claim-${claimId}`;
}

// A filter's value as the API takes it: a checkbox gives its value only when ticked.
export function fieldValue(field) {
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
