"""Pages of claims: the pure functions (pages_of, remap_pages) tested with hypothesis, and a claim's pages in
the native export, the CSV and after a revision of its paper's text."""

import csv
import io
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotations import services
from annotations.models import Paper, Role, Status
from annotations.pages import page_label, pages_of, ranges_are_sound, remap_pages
from tests.factories import ClaimFactory, PaperFactory, UserFactory

TEXT = "Page one text.\n\nPage two text.\n\nPage three."
RANGES = [[0, 16], [16, 32], [32, 43]]


@st.composite
def paged_texts(draw):
    """A text cut into contiguous page ranges (some possibly empty)."""
    pages = draw(st.lists(st.text(alphabet="ab \n", max_size=12), min_size=1, max_size=8))
    ranges, at = [], 0
    for page in pages:
        ranges.append([at, at + len(page)])
        at += len(page)
    return "".join(pages), ranges


@given(paged_texts(), st.data())
def test_pages_of_names_the_pages_a_span_stands_on(paged, data):
    text, ranges = paged
    if not text:
        return
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    first, last = pages_of(start, end, ranges)
    assert 1 <= first <= last <= len(ranges)
    page_start, page_end = ranges[first - 1]
    assert page_start <= start < page_end  # the first page holds the first character
    last_start, last_end = ranges[last - 1]
    assert last_start <= end - 1 < last_end  # the last page holds the last character


@given(st.integers(0, 100), st.integers(1, 50))
def test_a_text_without_pages_has_none(start, length):
    assert pages_of(start, start + length, []) is None


@given(paged_texts(), st.text(alphabet="abc \n", max_size=40), st.data())
def test_remapped_pages_stay_sound_and_the_same_without_edits(paged, insert, data):
    old, ranges = paged
    at = data.draw(st.integers(0, len(old)))
    cut = data.draw(st.integers(at, len(old)))
    new = old[:at] + insert + old[cut:]
    remapped = remap_pages(old, new, ranges)
    assert len(remapped) == len(ranges)
    assert ranges_are_sound(remapped, len(new))
    assert remap_pages(old, old, ranges) == ranges


def test_remapped_pages_follow_an_edit_before_them():
    new = TEXT.replace("Page one", "The first page")
    shift = len("The first page") - len("Page one")
    assert remap_pages(TEXT, new, RANGES) == [[0, 16 + shift], [16 + shift, 32 + shift], [32 + shift, 43 + shift]]


def test_page_labels():
    assert page_label([12, 12]) == "p. 12"
    assert page_label([12, 13]) == "pp. 12\u201313"
    assert page_label(None) == ""


@pytest.fixture
def paged_paper(db):
    return PaperFactory(slug="paged", text=TEXT, pages=RANGES)


def test_native_export_and_csv_carry_the_pages(api, paged_paper, paper):
    moderator = UserFactory(username="mo", role=Role.MODERATOR)
    on_two = ClaimFactory(paper=paged_paper, at=(TEXT.index("two"), TEXT.index("two") + 3))
    across = ClaimFactory(paper=paged_paper, at=(5, 20))
    plain = ClaimFactory(paper=paper)
    api.as_user(moderator)
    document = json.loads(b"".join(api.get("/api/v1/export/claims.json").streaming_content))
    pages = {claim["id"]: claim["pages"] for claim in document["claims"]}
    assert pages == {str(on_two.pk): [2, 2], str(across.pk): [1, 2], str(plain.pk): None}
    assert list(document["claims"][0])[:4] == ["id", "paper", "target", "pages"]
    rows = list(csv.DictReader(io.StringIO(b"".join(api.get("/api/v1/export/claims.csv").streaming_content).decode())))
    labels = {row["id"]: row["pages"] for row in rows}
    assert labels == {str(on_two.pk): "p. 2", str(across.pk): "pp. 1\u20132", str(plain.pk): ""}


def test_a_revision_carries_the_pages_onto_the_new_text(paged_paper):
    moderator = UserFactory(username="mo", role=Role.MODERATOR)
    services.paper_revise(paper=paged_paper, by=moderator, text="Intro. " + TEXT)
    paged_paper = Paper.objects.get(pk=paged_paper.pk)
    assert paged_paper.pages == [[0, 23], [23, 39], [39, 50]]
    assert paged_paper.text[23:39] == "Page two text.\n\n"


def test_compare_quotes_carry_the_pages(api, paged_paper, tag):
    reader = UserFactory(username="rita", role=Role.READER)
    on_two = ClaimFactory(paper=paged_paper, at=(TEXT.index("two"), TEXT.index("two") + 3), tags=[tag],
                          status=Status.APPROVED)  # fmt: skip
    body = api.as_user(reader).get("/api/v1/compare/").json()
    assert body["claims"][str(on_two.pk)]["pages"] == [2, 2]
