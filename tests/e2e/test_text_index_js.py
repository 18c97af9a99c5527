"""text_index.js and reader_toc.js on their own, in the browser: word and sentence stops, snapping, the
string ↔ DOM mapping over text split into many elements (some hidden), and the headings of a text."""

import random

import pytest

pytestmark = pytest.mark.e2e

CHECKS = """
async ([texts, pieces]) => {
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
  // The string <-> DOM mapping over pieces in nested elements, one of them hidden.
  const box = document.createElement('div');
  document.body.append(box);
  let visible = '';
  for (const [piece, hidden] of pieces) {
    const outer = document.createElement('span');
    const inner = document.createElement(hidden ? 'b' : 'i');
    if (hidden) inner.hidden = true;
    inner.textContent = piece;
    outer.append(inner);
    box.append(outer);
    if (!hidden) visible += piece;
  }
  const all = new m.TextIndex(box);
  const shown = new m.TextIndex(box, { visibleOnly: true });
  if (all.text !== pieces.map((p) => p[0]).join('')) problems.push(['all text', all.text]);
  if (shown.text !== visible) problems.push(['shown text', shown.text, visible]);
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
  box.remove();
  const heads = toc.headingsOf('Intro\\n## **China\\'s SCO Policy**\\ntext # not a heading\\n### *(1) Harmony*\\n#NoSpace\\n# <sup>1</sup>Plain &amp; simple #\\n');
  return { problems: problems.slice(0, 10), heads: heads.map((x) => [x.level, x.title]) };
}
"""


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
    result = browser_page.page.evaluate(CHECKS, [texts, random_pieces()])
    assert result["problems"] == []
    assert result["heads"] == [[2, "China's SCO Policy"], [3, "(1) Harmony"], [1, "1Plain & simple"]]
