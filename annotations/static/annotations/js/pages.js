// A claim's pages as a citation shows them: "p. 12", or "pp. 12–13" across pages; "" for a paper without pages.
// `pages` is the API's [first, last] (1-based) or null. The server's twin is annotations.pages.page_label.
export function pageLabel(pages) {
  if (!Array.isArray(pages) || pages.length !== 2) return "";
  const [first, last] = pages;
  return first === last ? `p. ${first}` : `pp. ${first}\u2013${last}`;
}
