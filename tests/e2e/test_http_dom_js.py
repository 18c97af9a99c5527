"""http.js and dom.js on their own, in the browser: one error shape whatever the server answers, the newest
request wins, and one truncate that counts code points as the server does."""

import pytest

pytestmark = pytest.mark.e2e

CHECKS = """
async () => {
  const http = await import('/static/annotations/js/http.js');
  const dom = await import('/static/annotations/js/dom.js');
  const fail = async (promise) => promise.then(() => null, (e) => ({
    name: e.constructor.name, status: e.status, fields: e.fields, text: http.errorText(e),
  }));
  const load = http.latestOnly();
  const first = load('/api/v1/claims/?page_size=1');
  const second = load('/api/v1/claims/?page_size=2');
  const [old, latest] = await Promise.all([first, second]);
  const smiley = 'ab\\u{1F600}cd';  // 5 code points, 6 UTF-16 units
  return {
    refused: await fail(http.request('POST', '/api/v1/claims/', { body: {} })),
    missing: await fail(http.getJSON('/api/v1/claims/00000000-0000-0000-0000-000000000000/')),
    notJson: await fail(http.getJSON('/static/annotations/js/dom.js')),
    pageShape: (() => { const e = new http.HttpError(400, { errors: ['Say why.', 'Really.'] }); return e.fields; })(),
    superseded: old === http.SUPERSEDED,
    latestIsAnswer: latest !== http.SUPERSEDED && Array.isArray(latest.results),
    short: dom.truncate(smiley, 5),
    cut: dom.truncate(smiley, 4),
    cutBeforePair: dom.truncate(smiley, 3),
    oneLine: dom.oneLine('  a\\n\\n b\\t c '),
  };
}
"""


def test_errors_have_one_shape_the_newest_request_wins_and_truncate_counts_code_points(
    browser_page, e2e_analyst, shipped_corpus
):
    browser_page.login(e2e_analyst)
    browser_page.open_paper("masuda-2010")
    result = browser_page.page.evaluate(CHECKS)
    refused = result["refused"]
    assert (refused["name"], refused["status"]) == ("HttpError", 400)
    assert {"paper", "target", "statement"} <= set(refused["fields"])
    assert result["missing"]["status"] == 404
    assert result["missing"]["fields"]["detail"]
    assert result["notJson"]["fields"] == {"detail": "The server answered with something that is not JSON."}
    assert result["pageShape"] == {"detail": "Say why. Really."}
    assert result["superseded"] is True
    assert result["latestIsAnswer"] is True
    assert result["short"] == "ab\U0001f600cd"
    assert result["cut"] == "ab\U0001f600…"
    assert result["cutBeforePair"] == "ab…"
    assert result["oneLine"] == "a b c"
