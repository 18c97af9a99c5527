"""A whole project in one zip, streamed: its native export (claims.json), its codebook (codebook.json), each
paper's text (papers/<slug>.txt) and original file when one was kept (originals/<slug>/<name>), and
manifest.json (last: it lists every other file with its size and SHA-256).

The zip is written as it is sent (annotations.exports.zipstream), so memory holds one member's chunk at a time,
never the archive."""

import hashlib
import itertools
import json
from collections.abc import Iterable, Iterator
from pathlib import PurePosixPath

from django.db.models import Exists, OuterRef
from django.utils import timezone

from annotations import selectors
from annotations.exporting import PAPERS_CHUNK_SIZE, ExportSet
from annotations.exports import iso, native
from annotations.exports.zipstream import zip_chunks
from annotations.models import Claim, Link, Paper, User

from .models import Project
from .selectors import project_members

FORMAT = "sco-claims-project"
FORMAT_VERSION = 1
FILE_CHUNK = 1 << 16


def project_export_set(project: Project) -> ExportSet:
    """Every live claim and link of the project and all its papers: what its moderators see, as a backup.
    (Not through the user-facing selectors: a backup holds every live item whatever its status.)"""
    claims = (
        Claim.objects.filter(paper__project=project, deleted_at__isnull=True)
        .select_related("paper", "created_by", "moderated_by")
        .defer("paper__text")
        .prefetch_related(selectors.codings_with_tags())
        .order_by("paper__slug", "start", "end", "id")
    )
    ends = claims.prefetch_related(None).select_related(None).order_by()
    links = (
        Link.objects.filter(deleted_at__isnull=True)
        .filter(Exists(ends.filter(pk=OuterRef("source_id"))), Exists(ends.filter(pk=OuterRef("target_id"))))
        .select_related("created_by", "moderated_by")
        .order_by("created_at", "id")
    )
    papers = selectors.papers_for_export(None, project=project)
    return ExportSet(claims=claims, links=links, papers=papers, filters={"project": project.slug}, project=project)


def native_chunks(project: Project, export: ExportSet) -> Iterator[str]:
    papers = (
        native.paper_record(paper, [byline.author.name for byline in paper.bylines.all()])
        for paper in selectors.in_chunks(export.papers, PAPERS_CHUNK_SIZE)
    )
    return native.render(
        exported_at=iso(timezone.now()),
        filters=export.filters,
        papers=papers,
        authors=(native.author_record(a) for a in selectors.authors_for_export(export.papers).iterator()),
        tags=selectors.exchange_tags(project, export.claims),
        claims=(native.claim_record(claim) for claim in selectors.claim_rows(export.claims)),
        links=(native.link_record(link) for link in selectors.link_rows(export.links)),
    )


def codebook_chunks(project: Project) -> Iterator[str]:
    document = {"project": project.slug, "tags": selectors.codebook_records(project)}
    yield json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def zip_stream(members: Iterable[tuple[str, Iterable[bytes | str]]], manifest: dict) -> Iterator[bytes]:
    """The zip of `members` (name, chunks), then manifest.json listing them, yielded as it is written."""
    files: list[dict] = []

    def counted(name: str, chunks: Iterable[bytes | str]) -> Iterator[bytes]:
        digest, size = hashlib.sha256(), 0
        for chunk in chunks:
            data = chunk.encode("utf-8") if isinstance(chunk, str) else chunk
            digest.update(data)
            size += len(data)
            yield data
        files.append({"path": name, "bytes": size, "sha256": digest.hexdigest()})

    def listing() -> Iterator[str]:  # read when the zip reaches it: after every member, so `files` is whole
        yield json.dumps({**manifest, "files": files}, ensure_ascii=False, indent=2) + "\n"

    counted_members = ((name, counted(name, chunks)) for name, chunks in members)
    return zip_chunks(itertools.chain(counted_members, [("manifest.json", listing())]), zip64=True)


def _file_chunks(field_file) -> Iterator[bytes]:
    with field_file.open("rb") as handle:
        while chunk := handle.read(FILE_CHUNK):
            yield chunk


def _members(project: Project, export: ExportSet) -> Iterator[tuple[str, Iterable]]:
    yield "claims.json", native_chunks(project, export)
    yield "codebook.json", codebook_chunks(project)
    for paper in selectors.in_chunks(Paper.objects.filter(project=project).order_by("slug"), PAPERS_CHUNK_SIZE):
        yield f"papers/{paper.slug}.txt", [paper.text]
        # Kept by the upload (Paper.source_file) when the paper came from a file; older papers have none.
        original = getattr(paper, "source_file", None)
        if original:
            yield f"originals/{paper.slug}/{PurePosixPath(original.name).name}", _file_chunks(original)


def project_zip(project: Project, *, by: User) -> Iterator[bytes]:
    """The project's export as zip chunks (see the module's docstring)."""
    export = project_export_set(project)
    manifest = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "exported_at": iso(timezone.now()),
        "exported_by": by.get_username(),
        "project": {
            "slug": project.slug,
            "name": project.name,
            "description": project.description,
            "archived": project.archived,
        },
        "members": [{"username": m.user.username, "role": m.role} for m in project_members(project)],
        "counts": {
            "papers": export.papers.count(),
            "claims": export.claims.count(),
            "links": export.links.count(),
            # The tags claims.json carries: the accepted codebook and the proposals its claims are coded with.
            "tags": selectors.exchange_tags_count(project, export.claims),
        },
    }
    return zip_stream(_members(project, export), manifest)
