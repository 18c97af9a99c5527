// The one way the pages talk to the server: fetch() with the session cookie and Django's CSRF token; every
// failure (a refusal, an answer that is not JSON, no answer at all) as one HttpError whose `fields` say each
// message where it belongs; and `latestOnly`, a loader for searches and filters where the newest request wins.

export class HttpError extends Error {
  constructor(status, body) {
    const fields = messagesByField(body);
    super(fields.detail || Object.values(fields).join(" ") || `The server answered ${status}.`);
    this.status = status; // 0: the server could not be reached
    this.body = body || {};
    this.fields = Object.keys(fields).length ? fields : { detail: this.message };
  }
}

// The answer a `latestOnly` loader gives to a request that a newer one replaced.
export const SUPERSEDED = Symbol("superseded");

export function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) return meta.content;
  const cookie = document.cookie.split("; ").find((c) => c.startsWith("csrftoken="));
  return cookie ? decodeURIComponent(cookie.slice("csrftoken=".length)) : "";
}

// method, url; `body` as JSON (or a FormData as it is); `signal` to abort; `as: "text"` for an HTML fragment.
export async function request(method, url, { body = undefined, signal = undefined, as = "json" } = {}) {
  const headers = { Accept: as === "json" ? "application/json" : "text/html" };
  const isForm = body instanceof FormData;
  if (body !== undefined && !isForm) headers["Content-Type"] = "application/json";
  const token = method === "GET" ? "" : csrfToken();
  if (token) headers["X-CSRFToken"] = token;
  let response;
  try {
    response = await fetch(url, {
      method,
      headers,
      credentials: "same-origin",
      signal,
      body: body === undefined || isForm ? body : JSON.stringify(body),
    });
  } catch (error) {
    if (error.name === "AbortError") throw error; // a newer request replaced this one
    throw new HttpError(0, { detail: `The server could not be reached (${error.message}).` });
  }
  if (response.status === 204) return null;
  if (as === "text") {
    const text = await response.text();
    if (!response.ok) throw new HttpError(response.status, null);
    return text;
  }
  let data = null;
  try {
    data = await response.json();
  } catch (error) {
    if (error.name === "AbortError") throw error;
    data = null;
  }
  if (!response.ok) throw new HttpError(response.status, data);
  if (data === null) throw new HttpError(response.status, { detail: "The server answered with something that is not JSON." });
  return data;
}

export const getJSON = (url, options) => request("GET", url, options);

// A GET where only the newest request counts: each call aborts the one before, and a replaced request
// resolves to SUPERSEDED (never to an error, never to an old answer).
export function latestOnly() {
  let pending = null;
  return async (url) => {
    pending?.abort();
    const controller = new AbortController();
    pending = controller;
    try {
      const data = await getJSON(url, { signal: controller.signal });
      return controller.signal.aborted ? SUPERSEDED : data;
    } catch (error) {
      if (controller.signal.aborted) return SUPERSEDED;
      throw error;
    }
  };
}

// An error's messages in one line, whatever threw it.
export function errorText(error) {
  return error instanceof HttpError ? Object.values(error.fields).join(" ") : error.message;
}

// A URL the template put on the page (data-NAME, from Django's {% url %}), with its __placeholders__ filled in.
export function pageUrl(element, name, params = {}) {
  let url = element.dataset[name];
  if (!url) throw new Error(`The page gives no ${name} address.`);
  for (const [key, value] of Object.entries(params)) url = url.replace(`__${key}__`, encodeURIComponent(value));
  return url;
}

// The body of an error answer as {field: "message message"}: the one refusal shape of the API and the pages
// (errors.error_detail: {detail} or {field: [messages]}, nested for targets; the moderation page's
// {reason: [messages]} is one such field), and an older {errors: [messages]}, are all the same shape here.
function messagesByField(body) {
  const out = {};
  if (!body || typeof body !== "object") return out;
  if (typeof body.detail === "string") out.detail = body.detail;
  if (Array.isArray(body.errors)) out.detail = [out.detail, ...flatten(body.errors)].filter(Boolean).join(" ");
  for (const [field, value] of Object.entries(body)) {
    if (field === "detail" || field === "errors" || field === "current_version") continue;
    out[field] = flatten(value).join(" ");
  }
  return out;
}

function flatten(value) {
  if (Array.isArray(value)) return value.flatMap(flatten);
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([key, inner]) => flatten(inner).map((m) => `${key}: ${m}`));
  }
  return [String(value)];
}
