"""offsets.js on its own, in the browser: UTF-16 units in, code points out."""

import pytest

pytestmark = pytest.mark.e2e

CHECKS = """
async () => {
  const m = await import('/static/annotations/js/offsets.js');
  const s = 'a\\u{1D516}b\\u{1F600}c';  // a, Fraktur S, b, smiley, c: 5 code points, 7 UTF-16 units
  return {
    length: m.codePointLength(s),
    units: s.length,
    before: [0, 1, 3, 4, 6, 7].map((u) => m.codePointsBefore(s, u)),
    insidePairDown: m.codePointsBefore(s, 2, false),
    insidePairUp: m.codePointsBefore(s, 2, true),
    unitsBack: [0, 1, 2, 3, 4, 5].map((p) => m.unitsBefore(s, p)),
  };
}
"""


def test_code_points_from_utf16_units(browser_page, e2e_analyst, shipped_corpus):
    browser_page.login(e2e_analyst)
    browser_page.open_paper("masuda-2010")
    result = browser_page.page.evaluate(CHECKS)
    assert result["length"] == 5
    assert result["units"] == 7
    assert result["before"] == [0, 1, 2, 3, 4, 5]
    assert (result["insidePairDown"], result["insidePairUp"]) == (1, 2)
    assert result["unitsBack"] == [0, 1, 3, 4, 6, 7]
