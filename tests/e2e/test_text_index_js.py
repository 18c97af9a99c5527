"""text_index.js and reader_toc.js on their own, in the browser: word and sentence stops, snapping, the
string ↔ DOM mapping over the reader's pieces (markup hidden, or shown by "Show source"), and the headings the
formatter marks."""

import random

import pytest

from annotations import formatting

pytestmark = pytest.mark.e2e

CHECKS = """
async ([texts, pieces, formattedHtml]) => {
  const m = await import('/static/annotations/js/text_index.js');
  const toc = await import('/static/annotations/js/reader_toc.js');
  const problems = [];
  for (const t of texts) {
    for (let i = 0; i <= t.length; i++) {
      const next = m.nextWordEnd(t, i), prev = m.previousWordStart(t, i);
      if (next < i || prev > i) problems.push(['stops move backwards', t, i]);
      if (next < t.length && m.isWordAt(t, next - 1) && m.isWordAt(t, next)) problems.push(['word end inside a word', t, i]);
      const s = m.nextSentenceEnd(t, i);
      if (s < i || m.previousSentenceStart(t, i) > i) problems.push(['sentence stops', t, i]);
      for (let j = i; j <= Math.min(t.length, i + 4); j++) {
        const [a, b] = m.snapToWords(t, i, j);
        if (a > i || b < j) problems.push(['snap narrows', t, i, j]);
        if (a > 0 && m.isWordAt(t, a - 1) && m.isWordAt(t, a)) problems.push(['snap starts inside a word', t, i, j]);
        const again = m.snapToWords(t, a, b);
        if (again[0] !== a || again[1] !== b) problems.push(['snap not idempotent', t, i, j]);
      }
    }
  }
  // The string <-> DOM mapping over the reader's pieces (span[data-start], markup in .mk) in nested elements.
  const reader = document.querySelector('.reader');
  const box = document.createElement('div');
  box.className = 'paper-text';
  reader.append(box);
  let visible = '';
  let at = 0;
  for (const [piece, markup] of pieces) {
    const outer = document.createElement(markup ? 'strong' : 'em');
    const inner = document.createElement('span');
    inner.dataset.start = String(at);
    if (markup) inner.className = 'mk';
    inner.textContent = piece;
    outer.append(inner);
    box.append(outer);
    at += [...piece].length;
    if (!markup) visible += piece;
  }
  const everything = pieces.map((p) => p[0]).join('');
  const all = m.textIndex(box);
  const shown = m.textIndex(box, { visibleOnly: true });
  if (all.text !== everything) problems.push(['all text', all.text]);
  if (shown.text !== visible) problems.push(['shown text', shown.text, visible]);
  if (m.textIndex(box, { visibleOnly: true }) !== shown) problems.push(['made again']);
  for (let a = 0; a <= shown.text.length; a += 3) {
    for (let b = a; b <= shown.text.length; b += 5) {
      const r = shown.range(a, b);
      if (shown.indexOf(r.startContainer, r.startOffset) !== a) problems.push(['start back', a, b]);
      if (b > a && shown.indexOf(r.endContainer, r.endOffset) !== b) problems.push(['end back', a, b]);
    }
  }
  for (let a = 0; a <= all.text.length; a += 2) {
    for (let b = a; b <= all.text.length; b += 3) {
      if (all.range(a, b).toString() !== all.text.slice(a, b)) problems.push(['range text', a, b]);
    }
  }
  // "Show source": the text as seen holds the markup too, and back again.
  const source = document.querySelector('[data-show-source]');
  source.checked = true;
  if (m.textIndex(box, { visibleOnly: true }).text !== everything) problems.push(['source shown']);
  source.checked = false;
  if (m.textIndex(box, { visibleOnly: true }).text !== visible) problems.push(['source hidden again']);
  box.remove();
  // The headings, from the formatter's marks.
  const formatted = document.createElement('div');
  formatted.innerHTML = formattedHtml;
  const heads = toc.headingsOf(formatted);
  return { problems: problems.slice(0, 10), heads: heads.map((x) => [x.level, x.title]) };
}
"""


HEADINGS = "Intro\n## **China's SCO Policy**\ntext # not a heading\n### *(1) Harmony*\n#NoSpace\n# <sup>1</sup>Plain &amp; simple #\n"


def random_texts(seed=7, n=60):
    rng = random.Random(seed)
    alphabet = ["a", "b", "Z", "é", "1", " ", " ", "\n", ".", "!", "?", "'", "-", ",", "”", "𝔖", "\u0301"]
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24))) for _ in range(n)]


def random_pieces(seed=11, n=40):
    rng = random.Random(seed)
    return [["".join(rng.choice("ab c.𝔖") for _ in range(rng.randint(0, 6))), rng.random() < 0.3] for _ in range(n)]


def test_text_index_stops_snapping_mapping_and_headings(browser_page, e2e_analyst, shipped_corpus):
    browser_page.login(e2e_analyst)
    browser_page.open_paper("masuda-2010")
    texts = [*random_texts(), "Don't stop-and-go. Next one! Third?", "**A**s many", ""]
    result = browser_page.page.evaluate(CHECKS, [texts, random_pieces(), formatting.render_html(HEADINGS)])
    assert result["problems"] == []
    assert result["heads"] == [[2, "China's SCO Policy"], [3, "(1) Harmony"], [1, "1Plain & simple"]]
