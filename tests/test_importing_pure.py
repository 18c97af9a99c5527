"""The import's checks are pure: any mangling of a good file is either imported or refused with paths."""

import copy
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from annotations import importing
from tests.examples import examples

TEXT = "The SCO is not an alliance. It fights the three evils."
GOOD = {
    "format": "sco-claims",
    "version": 1,
    "exported_at": "2026-01-01T00:00:00Z",
    "filters": {},
    "papers": [
        {
            "slug": "p",
            "title": "P",
            "year": 2010,
            "year_note": "",
            "venue": "",
            "authors": ["A"],
            "created_at": "2026-01-01T00:00:00Z",
            "updated_at": "2026-01-01T00:00:00Z",
            "text": TEXT,
        }
    ],
    "authors": [{"name": "A", "affiliation": "", "country": "", "note": ""}],
    "tags": [{"slug": "t", "name": "T", "description": "", "colour": "#123456", "parent": None}],
    "claims": [
        {
            "id": f"00000000-0000-4000-8000-00000000000{n}",
            "paper": "p",
            "target": {"start": start, "end": end, "exact": TEXT[start:end], "prefix": "", "suffix": ""},
            "statement": "S",
            "speaker": None,
            "stance": "affirms",
            "tags": ["t"],
            "note": "",
            "status": "approved",
            "version": 1,
            "created_by": "ana",
            "created_at": "2026-01-01T00:00:00Z",
            "updated_at": "2026-01-01T00:00:00Z",
            "moderated_by": None,
            "moderated_at": None,
            "moderation_reason": "",
            "deleted_at": None,
        }
        for n, (start, end) in enumerate([(11, 26), (31, 54)], start=1)
    ],
    "links": [
        {
            "id": "00000000-0000-4000-8000-0000000000aa",
            "source": "00000000-0000-4000-8000-000000000001",
            "target": "00000000-0000-4000-8000-000000000002",
            "relation": "supports",
            "rationale": "",
            "status": "pending",
            "version": 1,
            "created_by": "ana",
            "created_at": "2026-01-01T00:00:00Z",
            "updated_at": None,
            "moderated_by": None,
            "moderated_at": None,
            "moderation_reason": "",
            "deleted_at": None,
        }
    ],
}
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 100) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)


def paths(value, prefix=()):
    """Every place in the document a mutation may strike."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from paths(item, (*prefix, index))


ALL_PATHS = [p for p in paths(GOOD) if p]


def outcome(document) -> importing.Plan | importing.ImportRefused:
    try:
        return importing.validate(importing.read(document), importing.Known())
    except importing.ImportRefused as refused:
        return refused


def check(document) -> None:
    result = outcome(document)
    if isinstance(result, importing.Plan):
        assert result.report["claims"]["created"] == len(result.claims_new)
        return
    assert result.problems
    for path, messages in result.problems.items():
        assert isinstance(path, str)
        assert messages
        assert all(isinstance(m, str) and m for m in messages)


def test_the_good_file_plans_everything():
    plan = importing.validate(importing.read(copy.deepcopy(GOOD)), importing.Known())
    assert plan.report["claims"]["created"] == 2
    assert plan.report["links"]["created"] == 1
    assert plan.users == ["ana"]


@settings(max_examples=examples(300), deadline=None)
@given(where=st.sampled_from(ALL_PATHS), value=json_values)
def test_any_one_mangled_value_is_imported_or_refused_with_paths(where, value):
    document = copy.deepcopy(GOOD)
    holder = document
    for step in where[:-1]:
        holder = holder[step]
    holder[where[-1]] = value
    check(json.loads(json.dumps(document)))


@settings(max_examples=100, deadline=None)
@given(document=json_values)
def test_any_json_at_all_is_refused_cleanly(document):
    check(document)


W3C = {
    "id": "https://hypothes.is/a/1",
    "type": "Annotation",
    "created": "2024-01-02T03:04:05Z",
    "creator": "acct:hana@hypothes.is",
    "body": [{"type": "TextualBody", "value": "v"}, {"type": "TextualBody", "purpose": "tagging", "value": "t"}],
    "target": [{"source": "https://x.org/papers/p/", "selector": [{"type": "TextQuoteSelector", "exact": "SCO"}]}],
}
W3C_PATHS = [p for p in paths(W3C) if p]


@settings(max_examples=examples(300), deadline=None)
@given(where=st.sampled_from(W3C_PATHS), value=json_values)
def test_any_mangled_w3c_annotation_is_imported_or_refused_with_paths(where, value):
    annotation = copy.deepcopy(W3C)
    holder = annotation
    for step in where[:-1]:
        holder = holder[step]
    holder[where[-1]] = value
    result = outcome_with_paper([annotation])
    if isinstance(result, importing.ImportRefused):
        assert all(isinstance(path, str) and messages for path, messages in result.problems.items())


def outcome_with_paper(document):
    known = importing.Known(paper_texts={"p": TEXT}, tag_slugs={"t"})
    try:
        return importing.validate(importing.read(document), known)
    except importing.ImportRefused as refused:
        return refused


def test_the_good_w3c_annotation_is_placed():
    plan = outcome_with_paper([copy.deepcopy(W3C)])
    assert plan.claims_new[0]["target"]["start"] == TEXT.index("SCO")
    assert plan.claims_new[0]["created_by"] == "hana"
