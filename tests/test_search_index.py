"""The search index is kept in step by every write that changes what it holds: each path below leaves it equal to
what indexing the database from scratch would give."""

import dataclasses
import io
import json
import uuid

import pytest

from annotations import corpus, exporting, services
from annotations.models import Claim, Paper, text_sha256
from search.indexing import claim_text
from search.models import SearchEntry
from search.passages import passages
from tests.factories import PaperFactory

pytestmark = pytest.mark.django_db


def in_step() -> None:
    """The index holds each paper's passages and each claim, as they are now, and nothing else."""
    expected = set()
    for paper in Paper.objects.all():
        expected |= {(paper.pk, None, s, e, paper.text[s:e]) for s, e in passages(paper.text)}
    for claim in Claim.objects.all():
        expected.add((claim.paper_id, str(claim.pk), claim.start, claim.end, claim_text(claim)))
    stored = {
        (paper, None if claim is None else str(uuid.UUID(str(claim))), start, end, text)
        for paper, claim, start, end, text in SearchEntry.objects.values_list("paper", "claim", "start", "end", "text")
    }
    assert stored == expected


def at(text: str, words: str) -> dict:
    start = text.index(words)
    return {"start": start, "end": start + len(words)}


@pytest.fixture
def loaded(db):
    services.corpus_load(
        papers=corpus.papers_from_corpus_file(corpus.SHIPPED_CORPUS),
        tags=corpus.tags_from_codebook_file(corpus.SHIPPED_CODEBOOK),
    )
    return Paper.objects.get(slug="masuda-2010")


def test_load_corpus_indexes_the_papers_and_a_newer_text_again(loaded, moderator):
    assert SearchEntry.objects.filter(paper=loaded).count() > 50
    in_step()
    specs = [
        dataclasses.replace(spec, text=spec.text.replace("new security concept", "novel security concept", 1))
        if spec.slug == "masuda-2010"
        else spec
        for spec in corpus.papers_from_corpus_file(corpus.SHIPPED_CORPUS)
    ]
    services.corpus_load(papers=specs, revised_by=moderator)
    in_step()
    assert SearchEntry.objects.filter(paper=loaded, text__contains="novel security concept").exists()


def test_claim_create_edit_place_and_revision_keep_it_in_step(loaded, analyst, moderator):
    claim = services.claim_create(
        created_by=analyst, paper=loaded, target=at(loaded.text, "new security concept"), statement="A concept",
        note="First note",
    )  # fmt: skip
    in_step()
    claim = services.claim_update(
        claim_id=claim.pk, by=analyst, version=claim.version, note="Second note", speaker="Hu"
    )
    in_step()
    services.paper_revise(paper=loaded, by=moderator, text=loaded.text.replace("new security concept", "NSC"))
    in_step()
    claim.refresh_from_db()
    loaded.refresh_from_db()
    services.claim_place(claim_id=claim.pk, by=moderator, target=at(loaded.text, "NSC"), version=claim.version)
    in_step()
    services.claim_delete(claim_id=claim.pk, by=moderator)
    in_step()  # a deleted claim keeps its entry: visibility hides it, and a restore needs no index write


def test_an_upload_indexes_the_new_paper(moderator):
    text = "An uploaded paper.\nIt speaks of pipelines and of the three evils.\n"
    paper = services.paper_upload(
        project=Paper._meta.get_field("project").remote_field.model.objects.get(slug="sco-security-cooperation"),
        by=moderator, data=text.encode(), name="upload.txt", title="Uploaded",
    )  # fmt: skip
    assert SearchEntry.objects.filter(paper=paper).count() == 2
    in_step()


def test_an_import_indexes_its_new_papers_and_the_claims_it_brings_or_changes(loaded, analyst, moderator):
    services.claim_create(
        created_by=analyst, paper=loaded, target=at(loaded.text, "new security concept"), statement="Old"
    )
    document = json.loads("".join(exporting.native_chunks(exporting.export_set(moderator, {}))))
    changed = document["claims"][0]
    changed.update(statement="Changed by the file", version=changed["version"] + 1)
    paper = next(p for p in document["papers"] if p["slug"] == "masuda-2010")
    text = paper["text"] + "\nA line only the copy has.\n"
    copy = {**paper, "slug": "masuda-copy", "doi": None, "text": text, "text_sha256": text_sha256(text)}
    document["papers"].append(copy)
    document["claims"].append({**changed, "id": str(uuid.uuid4()), "paper": "masuda-copy", "version": 1})
    document["links"] = []
    services.claims_import(document=document, by=moderator)
    in_step()
    assert SearchEntry.objects.filter(paper__slug="masuda-copy", text="A line only the copy has.").exists()
    assert SearchEntry.objects.filter(claim__isnull=False, text__contains="Changed by the file").count() == 2


def test_data_written_around_the_services_is_caught_up_by_the_command(db):
    from django.core.management import call_command

    PaperFactory(slug="by-hand", text="Written in a shell.\nNo service saw it.")
    assert not SearchEntry.objects.exists()
    call_command("search_reindex", stdout=io.StringIO())
    in_step()
