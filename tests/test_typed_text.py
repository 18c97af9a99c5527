"""Notes and rationales are Markdown-flavoured text: shown as sanitized Markdown, and the migration that turns what
bleach stored before back into the typed text."""

import html
import importlib

import bleach
import pytest
from bleach.linkifier import Linker
from django.apps import apps
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.models import Claim, Link
from annotations.sanitize import ALLOWED_ATTRIBUTES, ALLOWED_PROTOCOLS, ALLOWED_TAGS, render_markdown
from tests.examples import examples
from tests.factories import ClaimFactory, LinkFactory, PaperFactory
from tests.html_check import outside_allowlist, parse, squeeze

migration = importlib.import_module("annotations.migrations.0009_notes_stored_as_typed")
typed_text = migration.typed_text

# Any text the API takes: no NUL (refused), no lone surrogate (not UTF-8); the characters HTML and Markdown
# care about, emoji and direction marks come often.
SPECIAL = [*"&<>\"'`*_[]()#!\\-+=@ \n\t", "\u200f", "\u202e", "\u200e", "😀", "𝔖", "&amp;", "<b>", "</p>"]
any_text = st.lists(
    st.one_of(st.sampled_from(SPECIAL), st.characters(exclude_categories=("Cs", "Cc"))), max_size=40
).map("".join)
# Text Markdown leaves as it is (no emphasis, link, list, quote, code or entity syntax): it shows as typed.
plain_text = st.tuples(
    st.sampled_from("aé中ش😀"), st.text(st.sampled_from(list("ab é中ش 😀&<>\"'\u200f\u202e")), max_size=40)
).map("".join)


# --- showing it ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "<img src=x onerror=alert(1)>",
        "<script>alert(1)</script>",
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "![x](https://evil.example/pixel.png)",
        "<a href=javascript:alert(1)>x</a>",
        '<p onclick="alert(1)">x</p>',
        "<style>body{display:none}</style>",
        "<svg><script>alert(1)</script></svg>",
        "[x](vbscript:msgbox)",
        '<http://a.example/"onmouseover=alert(1)>',
    ],
)
def test_nothing_typed_runs(typed):
    shown = render_markdown(typed)
    assert outside_allowlist(shown) == []
    assert parse(shown).elements == [] or all(el.tag in ("p", "a") for el in parse(shown).elements)


def test_markdown_is_rendered_with_the_allowlist():
    assert render_markdown("Su & Li say x < y") == "<p>Su &amp; Li say x &lt; y</p>"
    assert render_markdown("*a* **b** `c < d`") == "<p><em>a</em> <strong>b</strong> <code>c &lt; d</code></p>"
    assert render_markdown("- one\n- two") == "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"
    assert render_markdown("line\nbreak") == "<p>line<br>\nbreak</p>"
    assert render_markdown("> quoted") == "<blockquote>\n<p>quoted</p>\n</blockquote>"
    link = render_markdown('[site](https://example.org "T")')
    assert link == '<p><a href="https://example.org" title="T" rel="nofollow noopener">site</a></p>'
    bare = render_markdown("see https://example.org/a?b=1&c=2")
    assert bare == (
        '<p>see <a href="https://example.org/a?b=1&amp;c=2" rel="nofollow noopener">https://example.org/a?b=1&amp;c=2</a></p>'
    )
    # What the allowlist would strip is not made at all: the typed characters stay.
    assert render_markdown("# 3 reasons") == "<p># 3 reasons</p>"
    assert render_markdown("") == render_markdown("  \n") == ""


@settings(max_examples=examples(150), deadline=None)
@given(any_text)
def test_any_text_renders_within_the_allowlist(typed):
    assert outside_allowlist(render_markdown(typed)) == []


@settings(max_examples=100, deadline=None)
@given(plain_text)
def test_plain_text_shows_exactly_once_as_typed(typed):
    shown = parse(render_markdown(typed))
    assert [el.tag for el in shown.elements] in ([], ["p"])
    assert squeeze(shown.text) == squeeze(typed)


# --- the migration: back from what bleach stored ------------------------------------------------------------


def _nofollow(attrs, new=False):
    attrs[(None, "rel")] = "nofollow noopener"
    return attrs


# The sanitizer as it ran on every write before (the linker skipped <code>, and escaped its text again).
_old_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, protocols=ALLOWED_PROTOCOLS, strip=True, strip_comments=True
)
_old_linker = Linker(callbacks=[_nofollow], skip_tags={"pre", "code"}, parse_email=False)


def stored_before(typed: str) -> str:
    return _old_linker.linkify(_old_cleaner.clean(typed)).strip() if typed else ""


@pytest.mark.parametrize(
    ("typed_then", "typed_now"),
    [
        ("Su & Li say x < y", "Su & Li say x < y"),
        ('it\'s "quoted" & <3 > 2', 'it\'s "quoted" & <3 > 2'),
        ("Quoted from <em>Mingbao</em>, 2007.", "Quoted from *Mingbao*, 2007."),
        ("<strong>Key</strong> point", "**Key** point"),
        ("<code>a & b < c</code>", "`a & b < c`"),
        ("see https://example.org/a?b=1&c=2 now", "see https://example.org/a?b=1&c=2 now"),
        ("see www.example.org", "see www.example.org"),
        ('<a href="https://example.org" title="T">the site</a>', '[the site](https://example.org "T")'),
        ('<a href="javascript:alert(1)">j</a>', "j"),
        ('<a href="mailto:su@example.org">su@example.org</a>', "[su@example.org](mailto:su@example.org)"),
        ('<a href="https://e.org/a_(b)">paren</a>', "[paren](<https://e.org/a_(b)>)"),
        ('<a href="https://e.org/">see [1]</a>', "[see \\[1\\]](https://e.org/)"),
        ("<p>one</p><p>two &amp; three</p>", "one\n\ntwo & three"),
        ("<ul><li>a</li><li>b &lt; c</li></ul>", "- a\n- b < c"),
        ("Points:<ol><li>first</li><li>second</li></ol>", "Points:\n\n1. first\n2. second"),
        ("<blockquote>q &amp; a</blockquote>", "> q & a"),
        ("line<br>break", "line\nbreak"),
        ("<b>bold</b> <script>alert(1)</script>", "bold alert(1)"),
        ("<img src=x onerror=alert(1)>after", "after"),
        ("multi\n\nparagraph\ntext", "multi\n\nparagraph\ntext"),
        ("😀 \u200fمرحبا\u202e", "😀 \u200fمرحبا\u202e"),
        ("", ""),
    ],
)
def test_what_bleach_stored_becomes_the_typed_text(typed_then, typed_now):
    assert typed_text(stored_before(typed_then)) == typed_now


@settings(max_examples=examples(200), deadline=None)
@given(st.text(st.sampled_from(list("ab é &<>\"';\n😀\u200f1")), max_size=40))
def test_plain_text_comes_back_exactly(typed):
    # A "<" that opens a tag was eaten by bleach; anything else comes back as it was typed.
    if any(typed[i] == "<" and typed[i + 1 : i + 2] not in ("", " ", "1", "\n", "<") for i in range(len(typed))):
        return
    assert typed_text(stored_before(typed)) == typed.strip()


words = st.text(st.sampled_from(list("abc é中&<\"'")), min_size=1, max_size=8).filter(lambda w: w.strip() == w)
inline = st.recursive(
    words.map(html.escape),
    lambda inner: st.one_of(
        st.tuples(st.sampled_from(["em", "strong"]), inner).map(lambda t: f"<{t[0]}>{t[1]}</{t[0]}>"),
        words.map(lambda w: f"<code>{html.escape(w)}</code>"),
        words.map(lambda w: f'<a href="https://example.org/{w.encode().hex()}">{html.escape(w)}</a>'),
    ),
    max_leaves=3,
)
sentence = st.lists(inline, min_size=1, max_size=4).map(" x ".join)
block = st.one_of(
    sentence.map(lambda s: f"<p>{s}</p>"),
    st.lists(sentence, min_size=1, max_size=3).map(
        lambda items: "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"
    ),
    st.lists(sentence, min_size=1, max_size=3).map(
        lambda items: "<ol>" + "".join(f"<li>{i}</li>" for i in items) + "</ol>"
    ),
    sentence.map(lambda s: f"<blockquote><p>{s}</p></blockquote>"),
)


def shape(fragment: str) -> list:
    """Tags (with their href) and words, without paragraphs and whitespace: what must survive the trip."""
    out = []
    for element in parse(fragment).elements:
        if element.tag != "p":
            out.append((element.tag, element.attrs.get("href")))
    return [out, "".join(parse(fragment).text.split())]


@settings(max_examples=100, deadline=None)
@given(st.lists(block, min_size=1, max_size=3).map("".join))
def test_formatted_notes_show_as_they_did(stored_html):
    stored = stored_before(stored_html)
    # Compared with what the cleaner kept, before the linker escaped the text of <code> a second time.
    assert shape(render_markdown(typed_text(stored))) == shape(_old_cleaner.clean(stored_html))


def test_the_migration_rewrites_claims_links_and_their_history(db):
    paper = PaperFactory(text="The SCO is not an alliance. It fights the three evils.")
    claim = ClaimFactory(paper=paper, note=stored_before("Su & Li say <em>x < y</em>"))
    untouched = ClaimFactory(paper=paper, note="plain words")
    link = LinkFactory(source=claim, target=untouched, rationale=stored_before("<p>a & b</p><p>c</p>"))
    assert claim.note == "Su &amp; Li say <em>x &lt; y</em>"

    migration.notes_as_typed(apps, None)

    claim.refresh_from_db()
    link.refresh_from_db()
    assert claim.note == "Su & Li say *x < y*"
    assert link.rationale == "a & b\n\nc"
    assert Claim.history.get(id=claim.pk).note == "Su & Li say *x < y*"
    assert Link.history.get(id=link.pk).rationale == "a & b\n\nc"
    untouched.refresh_from_db()
    assert untouched.note == "plain words"
