"""Stored paper indexes for suggestions: computed on upload, on revision and by load_corpus (after the write
commits), by `index_papers` for existing papers; reloaded after a restart without calling the model; the
project index follows a revision."""

import importlib
import json
from io import StringIO

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from annotations import services
from annotations.corpus import AuthorSpec, PaperSpec
from annotations.models import Role
from annotations.suggest import PaperIndex
from projects.models import ProjectRole
from suggestions import indexing
from suggestions.models import PaperVectors
from tests.factories import MembershipFactory, PaperFactory, ProjectFactory, UserFactory

TEXT = "The SCO is not an alliance. It fights the three evils.\n\nThe three evils are terrorism and separatism."
NEW_TEXT = "Drug trafficking from Afghanistan is rising. The anti-drug belt is a priority of the SCO."


@pytest.fixture(autouse=True)
def fresh_process():
    indexing.forget_project_indexes()
    yield
    indexing.forget_project_indexes()


class Refusing:
    """Stands for the model in a 'restarted' process: any call to it fails the test."""

    def encode(self, texts):
        raise AssertionError(f"the model was called for {len(texts)} texts")


def test_load_corpus_indexes_new_papers_once_the_load_commits(db, django_capture_on_commit_callbacks):
    spec = PaperSpec(slug="su-li", title="Su and Li", text=TEXT, authors=(AuthorSpec(name="Su"),))
    with django_capture_on_commit_callbacks(execute=True):
        services.corpus_load(papers=[spec])
    stored = PaperVectors.objects.get(paper__slug="su-li")
    assert stored.encoder == indexing.current_encoder().name
    index = PaperIndex.from_bytes(stored.paper_id, bytes(stored.data))
    assert next(TEXT[s:e] for s, e, *_ in index.passage_rows.tolist()) == "The SCO is not an alliance."
    assert stored.passages == len(index.passage_rows)


def test_upload_indexes_the_paper(db, api, tmp_path, settings, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    project = ProjectFactory(slug="corpus-a")
    owner = UserFactory(username="olga", role=Role.READER)
    MembershipFactory(project=project, user=owner, role=ProjectRole.OWNER)
    body = {"file": SimpleUploadedFile("a.txt", TEXT.encode()), "project": "corpus-a", "title": "A paper"}
    body["authors"] = json.dumps([{"name": "Pan"}])
    with django_capture_on_commit_callbacks(execute=True):
        response = api.as_user(owner).post("/api/v1/papers/", body, format="multipart")
    assert response.status_code == 201, response.json()
    assert PaperVectors.objects.filter(paper__slug=response.json()["slug"]).exists()


def test_a_revision_reindexes_and_the_project_index_follows(moderator, django_capture_on_commit_callbacks):
    paper = PaperFactory(text=TEXT)
    indexing.paper_vectors_refresh(paper)
    before = indexing.project_index(paper.project_id)
    assert any("alliance" in before.exact(row) for row in range(len(before)))
    with django_capture_on_commit_callbacks(execute=True):
        services.paper_revise(paper=paper, by=moderator, text=NEW_TEXT)
    paper.refresh_from_db()
    stored = PaperVectors.objects.get(paper=paper)
    assert stored.text_sha256 == paper.text_sha256
    after = indexing.project_index(paper.project_id)
    exacts = [after.exact(row) for row in range(len(after))]
    assert "Drug trafficking from Afghanistan is rising." in exacts
    assert not any("alliance" in text for text in exacts)


def test_vectors_survive_a_restart_without_calling_the_model(db, monkeypatch):
    papers = [PaperFactory(text=TEXT), PaperFactory(text=NEW_TEXT)]
    for paper in papers:
        indexing.paper_vectors_refresh(paper)
    first = indexing.project_index(papers[0].project_id)
    indexing.forget_project_indexes()  # a new process: only the database remains
    monkeypatch.setattr(indexing.current_encoder(), "raw", Refusing())
    again = indexing.project_index(papers[0].project_id)
    assert again is not first
    assert [again.exact(row) for row in range(len(again))] == [first.exact(row) for row in range(len(first))]
    assert abs(np.asarray(again.vectors) - np.asarray(first.vectors)).max() < 1e-6


def test_the_project_index_is_shared_until_a_paper_changes(db, django_assert_num_queries):
    paper = PaperFactory(text=TEXT)
    indexing.paper_vectors_refresh(paper)
    first = indexing.project_index(paper.project_id)
    with django_assert_num_queries(1):
        assert indexing.project_index(paper.project_id) is first
    PaperFactory(text=NEW_TEXT)  # not indexed yet: the rebuild indexes it
    rebuilt = indexing.project_index(paper.project_id)
    assert rebuilt is not first
    assert PaperVectors.objects.count() == 2


def test_index_papers_command_indexes_what_is_missing_and_reports_progress(db):
    PaperFactory(slug="alpha", text=TEXT)
    PaperFactory(slug="beta", text=NEW_TEXT)
    out = StringIO()
    call_command("index_papers", stdout=out)
    assert "[1/2] alpha: indexed" in out.getvalue()
    assert "Indexed 2 of 2 papers." in out.getvalue()
    out = StringIO()
    call_command("index_papers", "--project", "sco-security-cooperation", stdout=out)
    assert "[2/2] beta: current" in out.getvalue()
    assert "Indexed 0 of 2 papers." in out.getvalue()
    out = StringIO()
    call_command("index_papers", "--force", stdout=out)
    assert "Indexed 2 of 2 papers." in out.getvalue()


def test_vectors_of_another_encoder_are_recomputed_not_compared(db, monkeypatch):
    paper = PaperFactory(text=TEXT)
    PaperVectors.objects.create(paper=paper, encoder="another-model", text_sha256=paper.text_sha256, data=b"")
    index = indexing.project_index(paper.project_id)
    assert len(index) > 0
    assert PaperVectors.objects.filter(paper=paper, encoder=indexing.current_encoder().name).exists()


def test_in_the_web_process_indexing_runs_in_a_thread_after_the_commit(transactional_db, settings):
    settings.SUGGEST_IN_BACKGROUND = True
    spec = PaperSpec(slug="pan-2015", title="Pan", text=TEXT, authors=(AuthorSpec(name="Pan"),))
    services.corpus_load(papers=[spec])  # commits: the paper goes to the indexing thread
    worker = indexing._WORKER
    if worker is not None:
        worker.join(timeout=60)
    assert PaperVectors.objects.filter(paper__slug="pan-2015").exists()


def test_the_admin_shows_what_is_stored_and_changes_nothing(client, db):
    from annotations.models import User

    paper = PaperFactory(text=TEXT)
    indexing.paper_vectors_refresh(paper)
    admin = User.objects.create_superuser("root", "root@example.org", "a-long-test-password-42")
    client.force_login(admin)
    for name in ("papervectors", "passagejudgement", "linkjudgement", "suggestionorigin", "claimvectors"):
        assert client.get(f"/admin/suggestions/{name}/").status_code == 200, name
        assert client.get(f"/admin/suggestions/{name}/add/").status_code == 403, name
    stored = PaperVectors.objects.get()
    assert client.get(f"/admin/suggestions/papervectors/{stored.pk}/change/").status_code == 200


def test_in_the_web_process_a_changed_project_is_rebuilt_in_a_thread_and_stale_papers_are_hidden(
    moderator, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from suggestions.selectors import passage_suggestions
    from tests.factories import AuthorFactory, ClaimFactory

    a = PaperFactory(text=TEXT, authors=[AuthorFactory(name="Xu")])
    b = PaperFactory(text="The SCO is not an alliance, Beijing says. Trade grows.", authors=[AuthorFactory(name="Yu")])
    claim = ClaimFactory(paper=a, at=(0, 27), created_by=moderator, statement="Not an alliance")
    first = indexing.project_state(a.project_id)
    settings.SUGGEST_IN_BACKGROUND = True
    started = []

    class Thread:
        def __init__(self, target, **kwargs):
            self.target = target

        def start(self):
            started.append(self.target)

    monkeypatch.setattr(indexing.threading, "Thread", Thread)
    monkeypatch.setattr(indexing.connections, "close_all", lambda: None)  # the thread's work runs in this one
    assert passage_suggestions(moderator, claim)[0].paper == b.slug
    services.paper_revise(paper=b, by=moderator, text=NEW_TEXT)  # on_commit is not run: only the text changed
    stale = indexing.project_state(a.project_id)
    assert stale.index is first.index
    assert stale.stale == {b.pk}
    assert passage_suggestions(moderator, claim) == []  # b's passages point into its old text
    assert len(started) == 1
    started[0]()  # the rebuild
    fresh = indexing.project_state(a.project_id)
    assert fresh.index is not first.index
    assert fresh.stale == frozenset()
    assert passage_suggestions(moderator, claim)[0].exact in NEW_TEXT


def test_an_import_indexes_the_papers_it_brings_once_it_commits(moderator, django_capture_on_commit_callbacks):
    from annotations import exporting
    from annotations.models import PaperAuthor, text_sha256

    services.corpus_load(
        papers=[PaperSpec(slug="source", title="Source", text=TEXT, authors=(AuthorSpec(name="Pan"),))]
    )
    document = json.loads("".join(exporting.native_chunks(exporting.export_set(moderator, {}))))
    (paper,) = document["papers"]
    copy = {**paper, "slug": "copy", "doi": None, "text": NEW_TEXT, "text_sha256": text_sha256(NEW_TEXT)}
    document.update(papers=[copy], claims=[], links=[])
    with django_capture_on_commit_callbacks(execute=True):
        services.claims_import(document=document, by=moderator)
    stored = PaperVectors.objects.get(paper__slug="copy")
    index = PaperIndex.from_bytes(stored.paper_id, bytes(stored.data))
    assert (
        next(NEW_TEXT[s:e] for s, e, *_ in index.passage_rows.tolist())
        == "Drug trafficking from Afghanistan is rising."
    )
    assert [byline.author.name for byline in PaperAuthor.objects.filter(paper__slug="copy")] == ["Pan"]


def test_the_migration_repacks_indexes_stored_in_the_previous_format(db):
    from django.apps import apps

    from tests.test_suggest_index_build import npz_bytes

    migration = importlib.import_module("suggestions.migrations.0004_paper_index_format_2")
    paper = PaperFactory(text=TEXT)
    indexing.paper_vectors_refresh(paper)
    stored = PaperVectors.objects.get(paper=paper)
    current = bytes(stored.data)
    PaperVectors.objects.filter(pk=stored.pk).update(data=npz_bytes(PaperIndex.from_bytes(paper.pk, current)))
    built = indexing.project_index(paper.project_id)  # the previous format is still read
    assert built.papers == [paper.pk]
    migration.repack(apps, None)
    assert bytes(PaperVectors.objects.get(pk=stored.pk).data) == current
    migration.repack(apps, None)  # again: nothing left to repack
    assert bytes(PaperVectors.objects.get(pk=stored.pk).data) == current
