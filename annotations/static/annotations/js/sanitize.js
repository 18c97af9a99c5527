// Notes and rationales are stored as typed; the server renders their Markdown and sanitizes the HTML (bleach)
// into note_html / rationale_html. This allowlist copy is the second fence: parsed in an inert document
// (nothing loads, no handler runs), rebuilt from allowed parts.

const ALLOWED = new Set(["P", "BR", "EM", "STRONG", "CODE", "BLOCKQUOTE", "UL", "OL", "LI", "A"]);
const DROPPED = new Set(["SCRIPT", "STYLE", "TEMPLATE", "IFRAME", "OBJECT", "EMBED", "NOSCRIPT"]);

function copy(node, into) {
  for (const child of node.childNodes) {
    if (child.nodeType === Node.TEXT_NODE) {
      into.append(document.createTextNode(child.data));
    } else if (child.nodeType === Node.ELEMENT_NODE && !DROPPED.has(child.tagName)) {
      if (!ALLOWED.has(child.tagName)) {
        copy(child, into);
        continue;
      }
      const el = document.createElement(child.tagName.toLowerCase());
      if (child.tagName === "A") {
        const href = child.getAttribute("href") || "";
        if (/^(https?:|mailto:)/i.test(href)) el.setAttribute("href", href);
        if (child.getAttribute("title")) el.setAttribute("title", child.getAttribute("title"));
        el.setAttribute("rel", "nofollow noopener");
        el.setAttribute("target", "_blank");
      }
      copy(child, el);
      into.append(el);
    }
  }
}

export function safeFragment(html) {
  const parsed = new DOMParser().parseFromString(`<body>${html || ""}</body>`, "text/html");
  const fragment = document.createDocumentFragment();
  copy(parsed.body, fragment);
  return fragment;
}
