// fetch() for the JSON API with the session cookie and Django's CSRF token.

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.detail) || `The server answered ${status}.`);
    this.status = status;
    this.body = body || {};
  }
}

function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) return meta.content;
  const cookie = document.cookie.split("; ").find((c) => c.startsWith("csrftoken="));
  return cookie ? decodeURIComponent(cookie.slice("csrftoken=".length)) : "";
}

export async function api(method, url, body) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET") headers["X-CSRFToken"] = csrfToken();
  let response;
  try {
    response = await fetch(url, {
      method,
      headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new ApiError(0, { detail: `The server could not be reached (${error.message}).` });
  }
  if (response.status === 204) return null;
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

// The messages of an API error as {field: "message; message"}, for showing each where it belongs.
export function errorsByField(error) {
  const out = {};
  const body = error.body || {};
  if (typeof body.detail === "string") out.detail = body.detail;
  for (const [field, value] of Object.entries(body)) {
    if (field === "detail" || field === "current_version") continue;
    out[field] = flatten(value).join(" ");
  }
  if (!Object.keys(out).length) out.detail = error.message;
  return out;
}

function flatten(value) {
  if (Array.isArray(value)) return value.flatMap(flatten);
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([key, inner]) => flatten(inner).map((m) => `${key}: ${m}`));
  }
  return [String(value)];
}
