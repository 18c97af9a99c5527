// Helpers shared by the map and the comparison: fetch JSON with the session, build DOM without innerHTML
// (every text a user typed goes in through textContent), and the reader's deep link to a claim.

export async function fetchJSON(url, signal = undefined) {
  const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" }, signal });
  let body = null;
  try {
    body = await response.json();
  } catch (error) {
    if (error.name === "AbortError") throw error; // a newer request replaced this one
    body = null;
  }
  if (response.ok && body === null) throw new Error("The server answered with something that is not JSON.");
  if (!response.ok) {
    const detail = body && (body.detail || Object.entries(body).map(([k, v]) => `${k}: ${[].concat(v).join(" ")}`).join("; "));
    throw new Error(detail || `The server answered ${response.status}.`);
  }
  return body;
}

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== null && value !== undefined && value !== false) node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// The reader page's deep link to a claim (the reader scrolls to and highlights #claim-{id}).
export function readerUrl(paper, claimId) {
  return `/papers/${encodeURIComponent(paper)}/#claim-${claimId}`;
}

export function truncate(text, length) {
  const s = (text || "").replace(/\s+/g, " ").trim();
  return s.length <= length ? s : `${s.slice(0, length - 1)}…`;
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
