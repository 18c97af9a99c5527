// The pages' one DOM builder: text nodes only (never innerHTML), so every text a user typed stays text.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") el.className = value;
    else if (name === "dataset") Object.assign(el.dataset, value);
    else if (name.startsWith("on") && typeof value === "function") el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

// At most n characters counted in code points, as the server counts them (a surrogate pair is one, never split).
export function truncate(text, n) {
  const points = Array.from(text || "");
  return points.length <= n ? text || "" : `${points.slice(0, n - 1).join("")}…`;
}

// A text on one line (for labels): runs of white space as one space.
export function oneLine(text) {
  return (text || "").replace(/\s+/g, " ").trim();
}

// Place a floating element near a rectangle (viewport coordinates), inside the window.
export function placeNear(el, rect) {
  el.hidden = false;
  const width = el.offsetWidth;
  const left = Math.max(8, Math.min(rect.left + window.scrollX, window.scrollX + window.innerWidth - width - 16));
  el.style.left = `${left}px`;
  el.style.top = `${rect.bottom + window.scrollY + 8}px`;
}
