// A claim's pages as a citation shows them: "p. 12", or "pp. 12–13" across pages; "" for a paper without pages.
// `pages` is the API's [first, last] (1-based) or null. The server's twin is annotations.pages.page_label.
export function pageLabel(pages) {
  if (!Array.isArray(pages) || pages.length !== 2) return "";
  const [first, last] = pages;
  return first === last ? `p. ${first}` : `pp. ${first}\u2013${last}`;
}

// [first, last] (1-based) of the pages text[start:end] stands on, from the paper's page ranges ([start, end) code
// points, one per page); null without pages. The server's twin is annotations.pages.pages_of.
export function pagesOf(start, end, ranges) {
  if (!ranges || !ranges.length || end <= start) return null;
  const pageAt = (offset) => {
    let low = 0;
    let high = ranges.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (ranges[mid][0] <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
  };
  const first = pageAt(start);
  return [first + 1, Math.max(pageAt(end - 1), first) + 1];
}
