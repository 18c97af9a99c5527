"""The HTML allowlist for notes and rationales."""

import pytest

from annotations.sanitize import clean_html


@pytest.mark.parametrize(
    "hostile",
    [
        "<img src=x onerror=alert(1)>",
        "<script>alert(1)</script>",
        '<a href="javascript:alert(1)">x</a>',
        '<p onclick="alert(1)">x</p>',
        "<iframe src=//evil></iframe>",
        "<svg><script>alert(1)</script></svg>",
        '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
        "<style>body{display:none}</style>",
    ],
)
def test_nothing_executable_survives(hostile):
    cleaned = clean_html(hostile).lower()
    for needle in ("<img", "<script", "javascript:", "onclick", "onerror", "<iframe", "<svg", "data:", "<style"):
        assert needle not in cleaned


def test_the_allowlist_is_kept_and_links_get_rel():
    html = "<p>A <em>b</em> <strong>c</strong> <code>d</code></p><blockquote>q</blockquote><ul><li>i</li></ul>"
    assert clean_html(html) == html
    link = clean_html('<a href="https://example.org" title="t">x</a>')
    assert link == '<a href="https://example.org" title="t" rel="nofollow noopener">x</a>'


def test_plain_text_is_kept_as_text():
    assert clean_html("5 < 6 & 7 > 3") == "5 &lt; 6 &amp; 7 &gt; 3"
    assert clean_html("") == ""
