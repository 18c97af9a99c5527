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

// Place a floating element beside a rectangle (viewport coordinates) and inside the window: below the passage if
// it fits there, else above it, else to one side, so the passage stays in view. Its CSS caps its height at the
// window's (it scrolls inside); when its content grows (links load, an error shows) it is placed again.
const placed = new WeakMap();
const regrown = typeof ResizeObserver === "function"
  ? new ResizeObserver((entries) => {
      for (const { target } of entries) {
        const at = placed.get(target);
        if (at && !target.hidden) position(target, at);
      }
    })
  : null;

// A smooth scroll to the passage (or the reader's own scrolling) moves the window under a placed element: once it
// ends, the element is placed again against the passage in the window as it now is.
const shown = new Set();
if (typeof window !== "undefined") {
  window.addEventListener("scrollend", () => {
    for (const el of shown) {
      if (!el.isConnected || el.hidden) shown.delete(el);
      else position(el, placed.get(el));
    }
  });
}

function position(el, at) {
  const margin = 8;
  const rect = { left: at.left - window.scrollX, right: at.right - window.scrollX, top: at.top - window.scrollY, bottom: at.bottom - window.scrollY };
  const vw = document.documentElement.clientWidth;
  const vh = window.innerHeight;
  const width = el.offsetWidth;
  const height = Math.min(el.offsetHeight, vh - 2 * margin);
  let left = Math.max(margin, Math.min(rect.left, vw - width - margin));
  let top;
  if (rect.bottom + margin + height <= vh - margin) top = rect.bottom + margin;
  else if (rect.top - margin - height >= margin) top = rect.top - margin - height;
  else {
    top = Math.max(margin, Math.min(rect.top, vh - height - margin));
    if (rect.right + margin + width <= vw - margin) left = rect.right + margin;
    else if (rect.left - margin - width >= margin) left = rect.left - margin - width;
  }
  el.style.left = `${left + window.scrollX}px`;
  el.style.top = `${top + window.scrollY}px`;
}

// The page position of a rectangle, fixed the first time it is placed against: a popover placed again with the
// same rectangle (after its content loads, while the window scrolls to the passage) stays by the same passage.
const anchors = new WeakMap();

export function placeNear(el, rect) {
  el.hidden = false;
  if (!anchors.has(rect)) {
    anchors.set(rect, { left: rect.left + window.scrollX, right: rect.right + window.scrollX, top: rect.top + window.scrollY, bottom: rect.bottom + window.scrollY });
  }
  const at = anchors.get(rect);
  placed.set(el, at);
  shown.add(el);
  if (regrown) regrown.observe(el);
  position(el, at);
}
