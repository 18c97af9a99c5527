"""Each paper version's index, stored once (`PaperVectors`), and the process-wide project index built from them.

`paper_index_soon` is the one call the write paths make (upload, revision, load_corpus): after their transaction
commits, the paper's index is computed and stored unless the stored one is for the same text and encoder. The
project index is rebuilt when a paper of the project, its text or its byline changes; otherwise it is shared by
every request of the process.
"""

import itertools
import logging
import queue
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import cache

import numpy as np
from django.conf import settings
from django.db import IntegrityError, connections, transaction

from annotations.models import Paper
from annotations.suggest import Encoder, HashingEncoder, MiniLMEncoder, PaperIndex, ProjectIndex, index_paper

from . import pgvector
from .models import PaperVectors

log = logging.getLogger(__name__)


@cache
def _encoder(kind: str) -> Encoder:
    return MemoEncoder(HashingEncoder() if kind == "hashing" else MiniLMEncoder())


def current_encoder() -> Encoder:
    """The encoder of the settings (`SUGGEST_ENCODER`), one per process; it remembers the short texts it encoded
    (claims, tags), so a project's claims are encoded once per process."""
    return _encoder(settings.SUGGEST_ENCODER)


class MemoEncoder:
    """An encoder that remembers its last texts' vectors (claims, tags: short and asked for again and again).
    Papers' sentences are encoded through `raw` and not remembered: they are stored instead."""

    LIMIT = 50_000

    def __init__(self, encoder: Encoder):
        self.raw, self.name, self.dimension = encoder, encoder.name, encoder.dimension
        self._memory: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def encode(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._memory))
        if missing:
            vectors = self.raw.encode(missing)
            with self._lock:
                if len(self._memory) + len(missing) > self.LIMIT:
                    self._memory.clear()
                self._memory.update(zip(missing, vectors, strict=True))
        with self._lock:
            rows = [self._memory.get(t) for t in texts]
        if any(row is None for row in rows):  # forgotten meanwhile (the memory was full): encode again
            return self.raw.encode(texts)
        return np.array(rows, dtype=np.float32).reshape(len(texts), self.dimension)


def _raw(encoder: Encoder) -> Encoder:
    return getattr(encoder, "raw", encoder)


def paper_vectors_refresh(paper: Paper, *, force: bool = False, encoder: Encoder | None = None) -> bool:
    """Compute and store the index of the paper's current text, unless the one stored is for this text and
    encoder (or `force`). True when it was computed."""
    encoder = encoder or current_encoder()
    stored = PaperVectors.objects.filter(paper=paper, encoder=encoder.name).only("text_sha256").first()
    if stored is not None and stored.text_sha256 == paper.text_sha256 and not force:
        return False
    _paper_vectors_store(paper, encoder)
    return True


def _paper_vectors_store(paper: Paper, encoder: Encoder) -> bytes:
    """Compute the index of the paper's current text and store it; its bytes, as stored."""
    began = time.perf_counter()
    index = index_paper(paper.pk, paper.text, _raw(encoder))
    values = {
        "text_sha256": paper.text_sha256,
        "data": index.to_bytes(),
        "passages": len(index.passage_rows),
        "seconds": round(time.perf_counter() - began, 3),
    }
    try:
        with transaction.atomic():
            PaperVectors.objects.update_or_create(paper=paper, encoder=encoder.name, defaults=values)
            pgvector.store(paper.pk, encoder.name, paper.text_sha256, values["data"])
    except IntegrityError:  # another process stored this paper's index meanwhile: the same text, the same bytes
        with transaction.atomic():
            PaperVectors.objects.filter(paper=paper, encoder=encoder.name).update(**values)
            pgvector.store(paper.pk, encoder.name, paper.text_sha256, values["data"])
    return values["data"]


def _refresh_by_id(paper_id: int) -> None:
    paper = Paper.objects.filter(pk=paper_id).first()
    if paper is None:
        return
    try:
        paper_vectors_refresh(paper)
    except Exception:  # the write already committed; the index can be computed again later
        log.exception("Could not index paper %s for suggestions", paper_id)


_QUEUE: queue.Queue = queue.Queue()
_WORKER: threading.Thread | None = None
_WORKER_LOCK = threading.Lock()


def _work() -> None:
    """Run the queued jobs one at a time (the model uses a core; several at once only contend), then stop. Not a
    daemon: a process that ends (a management command, a worker being recycled) waits for the queue."""
    global _WORKER
    try:
        while True:
            try:
                job, what = _QUEUE.get(timeout=1)
            except queue.Empty:
                with _WORKER_LOCK:
                    if _QUEUE.empty():
                        _WORKER = None
                        return
                continue
            try:
                job()
            except Exception:  # the write that queued it committed; it can be computed again later
                log.exception("Suggestions: could not compute %s", what)
    finally:
        connections.close_all()  # this thread's own connections


def run_soon(job: Callable[[], None], what: str) -> None:
    """Run `job` now, or, with `SUGGEST_IN_BACKGROUND` (the default), in the process's one suggestions thread,
    which runs its jobs one after another. Failures are logged, never raised: what `job` computes can be
    computed again later."""
    global _WORKER
    if not getattr(settings, "SUGGEST_IN_BACKGROUND", True):
        try:
            job()
        except Exception:
            log.exception("Suggestions: could not compute %s", what)
        return
    _QUEUE.put((job, what))
    with _WORKER_LOCK:
        if _WORKER is None:
            _WORKER = threading.Thread(target=_work, name="suggestions", daemon=False)
            _WORKER.start()


def paper_index_soon(paper_id: int) -> None:
    """Index the paper once the caller's transaction commits: outside it (a failure must not undo the upload or
    the revision) and, with `SUGGEST_IN_BACKGROUND` (the default), in the process's suggestions thread, so that
    the request that uploaded or revised the paper does not wait for the model (tens of seconds for a long
    paper). A paper left unindexed (the model not installed, the process stopped) is logged, and indexed later
    by `manage.py index_papers` or by the first suggestion request that needs it."""
    transaction.on_commit(lambda: run_soon(lambda: _refresh_by_id(paper_id), f"the index of paper {paper_id}"))


def papers_index(
    papers: Iterable[Paper], *, force: bool = False, progress: Callable[[Paper, bool, float], None] | None = None
) -> int:
    """Index each paper whose stored index is missing or stale (all with `force`); how many were computed."""
    computed = 0
    for paper in papers:
        began = time.perf_counter()
        done = paper_vectors_refresh(paper, force=force)
        computed += done
        if progress is not None:
            progress(paper, done, time.perf_counter() - began)
    return computed


@dataclass
class Built:
    signature: tuple
    index: ProjectIndex
    versions: dict[int, str]  # paper id -> text SHA-256 the index holds
    slugs: dict[int, str]  # paper id -> slug, as the signature read them
    authors: dict[int, frozenset]  # paper id -> author ids
    # Unique in the process: what is computed on an index (compiled knowledge, fitted models) is keyed by it
    # (an object's id() may be reused once it is freed).
    generation: int = field(default_factory=lambda: next(_GENERATIONS))
    stale: frozenset = frozenset()  # papers revised or gone since the index was built: not to be shown


_GENERATIONS = itertools.count(1)
_PROJECTS: dict[tuple[int, str], Built] = {}
_PROJECTS_LOCK = threading.Lock()  # held for moments only: the registries below, never a build


def _signature(project_id: int) -> tuple[tuple, dict[int, str], dict[int, frozenset], dict[int, str]]:
    rows = (
        Paper.objects.filter(project_id=project_id)
        .order_by("pk")
        .values_list("pk", "text_sha256", "slug", "bylines__author_id")
    )
    versions: dict[int, str] = {}
    slugs: dict[int, str] = {}
    authors: dict[int, set] = {}
    for pk, sha, slug, author in rows:
        versions[pk], slugs[pk] = sha, slug
        authors.setdefault(pk, set())
        if author is not None:
            authors[pk].add(author)
    frozen = {pk: frozenset(a) for pk, a in authors.items()}
    signature = tuple((pk, versions[pk], slugs[pk], tuple(sorted(frozen[pk]))) for pk in versions)
    return signature, versions, frozen, slugs


def project_index(project_id: int) -> ProjectIndex:
    """The project's index: every passage of its papers, with their texts. One query when nothing changed; when a
    paper was added, revised or its byline changed, rebuilt from the stored bytes (papers without stored ones, or
    with stale ones, are indexed first)."""
    return project_state(project_id).index


# A process's first build of a larger project runs in a thread, and requests are told to come back (IndexNotReady):
# about 0.5-1 s per 100 papers on this machine under load (6 s before the build was vectorised), and a web worker is
# killed after 60 s.
BUILD_IN_REQUEST_UP_TO = 100


class IndexNotReady(Exception):
    """The project's index is being built for this process; ask again in a little while."""

    def __init__(self, papers: int):
        self.papers = papers
        super().__init__(
            f"Suggestions are being prepared for this project's {papers} papers (after a restart); "
            "try again in a few seconds."
        )


def project_state(project_id: int) -> Built:
    """The project's index with the papers' slugs and authors as it was built from.

    When a paper was added or revised since the process built it, and `SUGGEST_IN_BACKGROUND` is on, the index is
    rebuilt in a thread and the one in hand is returned meanwhile, its changed papers listed in `stale` (their
    passages must not be shown: their offsets point into an older text): a build takes seconds to a minute on a
    large project, which no request should wait for. A process's first build is done in the request, or, for a
    project of more than BUILD_IN_REQUEST_UP_TO papers, in a thread too, IndexNotReady telling the request to
    come back."""
    encoder = current_encoder()
    key = (project_id, encoder.name)
    signature, versions, authors, slugs = _signature(project_id)
    built = _PROJECTS.get(key)
    if built is not None and built.signature == signature:
        return built
    if built is not None and getattr(settings, "SUGGEST_IN_BACKGROUND", True):
        _rebuild_in_background(key, project_id)
        stale = frozenset(pk for pk, sha in built.versions.items() if versions.get(pk) != sha)
        return replace(built, slugs={**built.slugs, **slugs}, authors={**built.authors, **authors}, stale=stale)
    if built is None and len(versions) > BUILD_IN_REQUEST_UP_TO and getattr(settings, "SUGGEST_IN_BACKGROUND", True):
        _rebuild_in_background(key, project_id)
        raise IndexNotReady(len(versions))
    with _key_lock(key):
        built = _PROJECTS.get(key)
        if built is not None and built.signature == signature:
            return built
        return _build(key, project_id, encoder, signature, versions, authors, slugs)


_REBUILDING: set[tuple[int, str]] = set()
_KEY_LOCKS: dict[tuple[int, str], threading.Lock] = {}


def _key_lock(key: tuple[int, str]) -> threading.Lock:
    """One build at a time per project (and encoder); other projects' requests do not wait for it."""
    with _PROJECTS_LOCK:
        return _KEY_LOCKS.setdefault(key, threading.Lock())


def _rebuild_in_background(key: tuple[int, str], project_id: int) -> None:
    with _PROJECTS_LOCK:
        if key in _REBUILDING:
            return
        _REBUILDING.add(key)

    def work() -> None:
        try:
            signature, versions, authors, slugs = _signature(project_id)
            with _key_lock(key):
                _build(key, project_id, current_encoder(), signature, versions, authors, slugs)
        except Exception:  # the next request tries again
            log.exception("Could not rebuild the suggestion index of project %s", project_id)
        finally:
            with _PROJECTS_LOCK:
                _REBUILDING.discard(key)
            connections.close_all()  # this thread's own connections

    threading.Thread(target=work, name=f"project-index-{project_id}", daemon=True).start()


def _build(key, project_id: int, encoder: Encoder, signature, versions, authors, slugs) -> Built:
    """Build the project's index from the stored bytes (indexing papers without a current one first); called with
    the project's lock held."""
    stored = {
        row["paper_id"]: row
        for row in PaperVectors.objects.filter(paper__project_id=project_id, encoder=encoder.name).values(
            "paper_id", "text_sha256", "data"
        )
    }
    read = list(Paper.objects.filter(project_id=project_id).values_list("pk", "text", "text_sha256"))
    texts = {pk: text for pk, text, _ in read}
    current = {pk: sha for pk, _, sha in read}
    present = [pk for pk in versions if pk in texts]  # not deleted after the signature was read
    missing = [pk for pk in present if stored.get(pk) is None or stored[pk]["text_sha256"] != current[pk]]
    fresh = {}  # the bytes just computed, read from memory rather than from the database again
    for paper in Paper.objects.filter(pk__in=missing).order_by("pk"):
        fresh[paper.pk] = _paper_vectors_store(paper, encoder)
    parts = []
    for pk in present:
        data = fresh[pk] if pk in fresh else stored[pk]["data"]
        parts.append((PaperIndex.from_bytes(pk, data if isinstance(data, bytes) else bytes(data)), authors[pk]))
    index = ProjectIndex.build(parts, texts={part.paper: texts[part.paper] for part, _ in parts})
    held = {pk: current[pk] for pk in versions if pk in current}
    # A paper added, revised or deleted between the two reads: the next request rebuilds.
    unchanged = held == versions and len(current) == len(versions)
    built = Built(signature if unchanged else (), index, held, slugs, authors)
    with _PROJECTS_LOCK:
        _PROJECTS[key] = built
    return built


def forget_project_indexes() -> None:
    """Drop the process's project indexes (tests that simulate a restart)."""
    with _PROJECTS_LOCK:
        _PROJECTS.clear()
        _REBUILDING.clear()
