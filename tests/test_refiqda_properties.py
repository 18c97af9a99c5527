"""Property tests of the pure REFI-QDA writer and reader: whatever the text and the claims, a project written
by exports/refiqda.py validates against the schema and reads back with the same positions, quotes, statements,
speakers, stances and notes."""

import io
import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import SimpleNamespace

from hypothesis import example, given, settings
from hypothesis import strategies as st
from lxml import etree

from annotations.exports import refiqda, zipstream
from annotations.importing import refiqda as reader
from annotations.records import CodingRow

NOW = datetime(2026, 11, 30, tzinfo=UTC)
# Characters XML 1.0 can carry (tab, LF, CR included), astral ones too: the texts travel as files, the rest as XML.
XML_CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\ufffe\uffff").filter(
    lambda ch: ch in "\t\n\r" or ord(ch) >= 0x20
)
STANCES = st.sampled_from(refiqda.STANCES)


@dataclass
class Row:
    id: uuid.UUID
    paper_id: int
    start: int
    end: int
    statement: str
    speaker: str
    stance: str
    note: str
    codes: list = field(default_factory=list)
    status: str = "approved"
    created_at: datetime = NOW
    updated_at: datetime = NOW
    created_by: str = "ana"  # the typed export row's shape (records.row_class): users by username

    @property
    def codings(self):
        return tuple(CodingRow(tag, stance) for tag, stance in self.codes)


@st.composite
def projects(draw):
    text = draw(st.text(XML_CHARS, min_size=1, max_size=200))
    claims = []
    for _ in range(draw(st.integers(0, 4))):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        codes = draw(st.dictionaries(st.sampled_from(["alliance", "west"]), STANCES, max_size=2))
        claims.append(Row(
            id=uuid.uuid4(), paper_id=1, start=start, end=end,
            statement=draw(st.text(XML_CHARS, min_size=1, max_size=40).filter(str.strip)),
            speaker=draw(st.text(st.characters(min_codepoint=0x20, max_codepoint=0x2FF), max_size=20)).strip(),
            stance=draw(STANCES), note=draw(st.text(XML_CHARS, max_size=60)), codes=sorted(codes.items()),
        ))  # fmt: skip
    return text, claims


def qdpx(paper, tags: list[dict], claims: list[Row]) -> bytes:
    """The `.qdpx` of one paper as the exports write it (exporting_qda.qdpx_chunks): streamed, the text under
    sources/, then project.qde written as it goes."""

    def project_qde(member):
        return refiqda.write_project_qde(
            member, name="p", exported_at=NOW, users={claim.created_by for claim in claims}, tags=tags,
            papers=[paper], paper_authors={paper.pk: ["Pan Guang"]}, claims=lambda: claims, links=lambda: [],
        )  # fmt: skip

    members = [
        (f"sources/{refiqda.source_file_name(paper.slug)}", [refiqda.source_file_text(paper.text)]),
        ("project.qde", project_qde),
    ]
    return b"".join(zipstream.zip_chunks(members))


@given(projects())
@example(("\ufeffSCO", []))  # a text that begins with a byte-order mark keeps it
@settings(max_examples=60, deadline=None)
def test_a_written_project_validates_and_reads_back_the_same(project):
    text, claims = project
    paper = SimpleNamespace(pk=1, slug="masuda-2010", title="T", year=2010, venue="", doi=None, url=None,
                            text=text, created_at=NOW, updated_at=NOW)  # fmt: skip
    tags = [{"slug": s, "name": s.title(), "description": "", "colour": "#112233", "parent": None}
            for s in ("alliance", "west")]  # fmt: skip
    archive = qdpx(paper, tags, claims)
    qde = zipfile.ZipFile(io.BytesIO(archive)).read("project.qde")
    assert refiqda.project_schema().validate(etree.fromstring(qde))

    doc = reader.read_qdpx(archive, acting_username="mo", now="2026-11-30T00:00:00Z")

    assert [p["text"] for p in doc.papers] == [text]
    read = {record["id"]: record for record in doc.claims}
    for claim in claims:
        record = read[str(claim.id)]
        assert (record["target"]["start"], record["target"]["end"]) == (claim.start, claim.end)
        assert record["target"]["exact"] == text[claim.start : claim.end]
        assert record["statement"] == claim.statement
        assert record["speaker"] == (claim.speaker.replace("\n", " ") or None)
        assert record["stance"] == claim.stance
        assert record["codings"] == [{"tag": s, "stance": t} for s, t in claim.codes]
        assert record["note"] == claim.note
