"""The pure parts of search, exhaustively: passages, the query language and what it writes for each engine, and
the keyword-in-context line."""

import itertools
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from search import query
from search.context import fold, hits, in_context
from search.passages import PASSAGE_CHARS, passages

texts = st.text(alphabet=st.sampled_from(list("ab .!?\n\n  Zé中𝔘-")), max_size=2000)


@given(texts)
def test_passages_are_ordered_slices_that_hold_every_letter_once(text):
    spans = passages(text, size=60)
    assert all(0 <= s < e <= len(text) for s, e in spans)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))
    covered = {i for s, e in spans for i in range(s, e)}
    assert all(i in covered for i, ch in enumerate(text) if ch.isalnum())
    assert all(not text[s].isspace() and not text[e - 1].isspace() for s, e in spans)


def test_a_long_paragraph_is_cut_at_sentences():
    sentence = "The SCO is not an alliance. "
    text = "Title\n" + sentence * 60 + "\nLast line."
    spans = passages(text)
    assert text[spans[0][0] : spans[0][1]] == "Title"
    assert all(e - s <= PASSAGE_CHARS for s, e in spans)
    assert all(text[s:e].startswith("The SCO") and text[s:e].endswith("alliance.") for s, e in spans[1:-1])


@pytest.mark.parametrize(
    ("text", "fts5", "tsquery"),
    [
        ("security cooperation", '("security" AND "cooperation")', "('security' & 'cooperation')"),
        ("a AND b", '("a" AND "b")', "('a' & 'b')"),
        ('"Not an alliance" OR NATO', '("not an alliance" OR "nato")', "(('not' <-> 'an' <-> 'alliance') | 'nato')"),
        ("secur* NOT terror*", '("secur" *) NOT "terror" *', "('secur':* & !'terror':*)"),
        ("anti-US", '"anti us"', "('anti' <-> 'us')"),
        ("x NOT (y OR z)", '("x") NOT ("y" OR "z")', "('x' & !('y' | 'z'))"),
        ("not and or", '("not" AND "and" AND "or")', "('not' & 'and' & 'or')"),
        ("a' OR 1=1 --", '("a" OR "1 1")', "('a' | ('1' <-> '1'))"),
    ],
)
def test_the_query_is_written_in_each_engines_syntax(text, fts5, tsquery):
    tree = query.parse(text)
    assert query.fts5(tree) == fts5
    assert query.tsquery(tree) == tsquery


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no words"),
        ("   ", "no words"),
        ("&& ||", "no words"),
        ('"open', "not closed"),
        ("(a", "not closed"),
        ("a)", "no opening"),
        ("NOT a", "NOT needs words to exclude from"),
        ("a OR NOT b", "NOT needs words to exclude from"),
        ("a NOT", "NOT needs a word"),
        ("a NOT NOT b", "NOT needs a word"),
        ("OR a", "OR needs words on both sides"),
        ("a OR", "OR needs words on both sides"),
        ("a OR &", "OR needs words on both sides"),
        ("AND a", "AND needs words on both sides"),
        ("a AND", "AND needs words on both sides"),
        ("(" * 9 + "a" + ")" * 9, "nest"),
        ("w " * 33, "too many words"),
        ("w" * 501, "too long"),
    ],
)
def test_a_query_the_language_refuses_says_why(text, message):
    with pytest.raises(query.QuerySyntaxError, match=message):
        query.parse(text)


SAFE_FTS5 = re.compile(r'^(?:"[^"]+"|[()* ]|AND|OR|NOT)*$')


@given(st.text(max_size=80) | st.text(alphabet=st.sampled_from(list("ab \"()*-AND OR NOT'|&!:<>")), max_size=60))
def test_any_text_is_parsed_or_refused_and_what_reaches_an_engine_is_only_quoted_words(text):
    try:
        tree = query.parse(text)
    except query.QuerySyntaxError:
        return
    written = query.fts5(tree)
    assert SAFE_FTS5.match(written), written
    assert all(token.replace(" ", "").isalnum() or not token.strip() for token in re.findall(r'"([^"]*)"', written))
    for lexeme in re.findall(r"'([^']*)'", query.tsquery(tree)):
        assert lexeme
        assert all(ch.isalnum() or ch == "\u0307" for ch in lexeme), lexeme


def test_hits_are_the_query_words_phrases_and_prefixes_not_the_excluded():
    text = "The SCO's security concept: security cooperation, not an Alliance; terrorism."
    tree = query.parse('"not an alliance" OR secur* NOT terrorism')
    assert [text[s:e] for s, e in hits(text, tree)] == ["security", "security", "not an Alliance"]
    assert hits("Café society", query.parse("cafe")) == [(0, 4)]
    assert fold("Ǆemal") == "dzemal"


@given(st.text(max_size=400), st.sampled_from(["a", "b*", '"a b"', "a OR c"]))
def test_the_context_line_is_a_slice_of_the_text_whose_highlights_are_the_hits(text, words):
    tree = query.parse(words)
    found = hits(text, tree)
    line = in_context(text, found, width=30)
    body = line.text.removeprefix("…").removesuffix("…")
    assert body == text[line.offset : line.offset + len(body)]
    shift = len(line.text) - len(line.text.removeprefix("…"))
    for start, end in line.highlights:
        assert (start - shift + line.offset, end - shift + line.offset) in found
    if found:
        assert line.highlights
