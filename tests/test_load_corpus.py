"""load_corpus: the shipped papers verbatim, the codebook, idempotence, further papers, refusals."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from annotations.corpus import SHIPPED_CORPUS
from annotations.models import Author, Paper, PaperAuthor, Tag, text_sha256
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


def load(*args) -> str:
    out = StringIO()
    call_command("load_corpus", *args, stdout=out)
    return out.getvalue()


def snapshot():
    return {
        "papers": list(Paper.objects.order_by("slug").values()),
        "authors": list(Author.objects.order_by("name").values()),
        "bylines": list(
            PaperAuthor.objects.order_by("paper_id", "position").values("paper_id", "author_id", "position")
        ),
        "tags": list(Tag.objects.order_by("slug").values()),
    }


def test_loads_the_five_papers_verbatim_with_metadata_and_codebook():
    load()
    metadata = json.loads(SHIPPED_CORPUS.read_text(encoding="utf-8"))["papers"]
    assert Paper.objects.count() == 5
    for entry in metadata:
        paper = Paper.objects.get(slug=entry["slug"])
        text = (SHIPPED_CORPUS.parent / "papers" / entry["file"]).read_text(encoding="utf-8")
        assert paper.text == text
        assert paper.text_sha256 == text_sha256(text)
        assert paper.title == entry["title"]
        assert paper.year == entry["year"]
        names = [byline.author.name for byline in paper.bylines.order_by("position")]
        assert names == [author["name"] for author in entry["authors"]]
    assert Author.objects.get(name="Masayuki Masuda").country == "Japan"
    assert 10 <= Tag.objects.count() <= 16
    for slug in ("not-an-alliance", "us-competition", "anti-us", "three-evils", "security-community",
                 "new-security-concept", "china-russia-leadership", "afghanistan", "shanghai-spirit", "enlargement"):  # fmt: skip
        assert Tag.objects.get(slug=slug).description


def test_loading_twice_changes_nothing():
    load()
    before = snapshot()
    out = load()
    assert snapshot() == before
    assert "papers: 0 created, 0 updated, 5 unchanged" in out
    assert "tags: 0 created, 0 updated" in out


def test_a_further_paper_with_options(tmp_path):
    paper_file = tmp_path / "extra.md"
    paper_file.write_bytes("\ufeff# A Further Paper\r\n\r\nThe SCO 𝔖 is a club.\r\n".encode())
    load("--no-shipped", str(paper_file), "--year", "2015", "--author", "Ann Analyst|Some Institute|Kazakhstan")
    paper = Paper.objects.get(slug="extra")
    assert paper.text == "# A Further Paper\n\nThe SCO 𝔖 is a club.\n"  # BOM and CRLF gone, nothing else
    assert paper.title == "A Further Paper"
    assert paper.year == 2015
    author = paper.bylines.get().author
    assert (author.name, author.affiliation, author.country) == ("Ann Analyst", "Some Institute", "Kazakhstan")


def test_a_further_paper_with_a_sidecar_and_a_corpus_file(tmp_path):
    (tmp_path / "one.txt").write_text("First text.", encoding="utf-8")
    (tmp_path / "one.json").write_text(json.dumps({"title": "One", "authors": ["A. Person"]}), encoding="utf-8")
    (tmp_path / "two.txt").write_text("Second text.", encoding="utf-8")
    corpus_file = tmp_path / "more.json"
    corpus_file.write_text(
        json.dumps({"papers": [{"slug": "two", "file": "two.txt", "title": "Two"}]}), encoding="utf-8"
    )
    load("--no-shipped", str(tmp_path / "one.txt"), str(corpus_file))
    assert Paper.objects.get(slug="one").bylines.get().author.name == "A. Person"
    assert Paper.objects.get(slug="two").text == "Second text."


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"\xff\xfe bad bytes", "not UTF-8"), (b"   \n", "empty")],
)
def test_unreadable_papers_are_refused_and_nothing_is_written(tmp_path, content, message):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        load(str(bad))
    assert not Paper.objects.exists()


def test_a_changed_text_under_claims_becomes_a_revision_and_keeps_the_claim(tmp_path):
    (tmp_path / "p.txt").write_text("Old text here.", encoding="utf-8")
    load("--no-shipped", str(tmp_path / "p.txt"))
    claim = ClaimFactory(paper=Paper.objects.get(slug="p"), at=(4, 8))
    (tmp_path / "p.txt").write_text("A corrected old text here.", encoding="utf-8")
    out = load("--no-shipped", str(tmp_path / "p.txt"))
    paper = Paper.objects.get(slug="p")
    assert paper.text == "A corrected old text here."
    assert paper.revisions.count() == 1
    claim.refresh_from_db()
    assert claim.exact == "text"
    assert paper.text[claim.start : claim.end] == "text"
    assert "revision" in out.lower()
