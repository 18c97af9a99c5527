"""The codebook: tags, their uses and descendants, and the filter choices the map and compare pages offer."""

import dataclasses
import re
from collections.abc import Callable, Hashable
from operator import attrgetter, itemgetter
from typing import TypeVar

from django.db.models import Count, Q, QuerySet

from projects import access
from projects.models import Project

from .. import discourse, history
from ..models import Author, Claim, Paper, Tag, TagStatus, User
from ..precompiled import Precompiled
from .claims import claim_visibility

T = TypeVar("T")


def tags_list(project=None) -> QuerySet[Tag]:
    """The codebook of `project` (every project's tags when None: the shell's and the admin's view)."""
    tags = Tag.objects.select_related("parent").order_by("slug")
    return tags if project is None else tags.filter(project=project)


SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def _slugs_only(slugs: list[str]) -> list[str]:
    """A string that cannot be a slug is unknown without asking the database (which, for PostgreSQL, would fail
    on a NUL character instead of finding nothing)."""
    return [slug for slug in slugs if SLUG.fullmatch(slug)]


def tags_by_slug(slugs: list[str], *, project) -> dict[str, Tag]:
    """The tags of `project`'s codebook with these slugs, by slug (one query)."""
    slugs = _slugs_only(slugs)
    return {tag.slug: tag for tag in Tag.objects.filter(project=project, slug__in=slugs).order_by()} if slugs else {}


def _tags_of_slugs(slug_count: int, project_count: int | None):
    """The query of tag_candidates_by_slug for so many slugs and projects (None: every project)."""

    def build(*values):
        found = Tag.objects.filter(slug__in=values[:slug_count]).order_by()
        return found if project_count is None else found.filter(project_id__in=values[slug_count:])

    return build


# Every claim create and tag edit reads its tags' candidates: compiled once per number of slugs and projects
# (annotations.precompiled), up to a size a claim form or a user's projects reach.
_TAGS_OF_SLUGS: dict[tuple[int, int | None], Precompiled] = {}
COMPILED_UP_TO = 20


def _tags_of_slugs_compiled(slug_count: int, project_count: int | None) -> Precompiled | None:
    if slug_count > COMPILED_UP_TO or (project_count or 0) > COMPILED_UP_TO:
        return None
    key = (slug_count, project_count)
    if key not in _TAGS_OF_SLUGS:
        stand_ins = [f"\x00stand-in slug {n}" for n in range(slug_count)]
        stand_ins += [2_147_000_001 + n for n in range(project_count or 0)]
        _TAGS_OF_SLUGS[key] = Precompiled(_tags_of_slugs(slug_count, project_count), *stand_ins)
    return _TAGS_OF_SLUGS[key]


def tag_candidates_by_slug(slugs: list[str], *, project_ids=None) -> dict[str, list[Tag]]:
    """Each slug's tags among the codebooks of `project_ids` (all when None), one query: a new claim's tags are
    read before its paper says which project's they must be."""
    slugs = _slugs_only(slugs)
    if not slugs or (project_ids is not None and not project_ids):
        return {}
    project_ids = None if project_ids is None else list(project_ids)
    values = [*slugs, *(project_ids or [])]
    count = None if project_ids is None else len(project_ids)
    compiled = _tags_of_slugs_compiled(len(slugs), count)
    found = compiled(*values) if compiled is not None else _tags_of_slugs(len(slugs), count)(*values)
    candidates: dict[str, list[Tag]] = {}
    for tag in found:
        candidates.setdefault(tag.slug, []).append(tag)
    return candidates


def tag_uses(tag: Tag) -> dict[str, int]:
    """What keeps a tag from being deleted outright: claims coded with it and tags under it."""
    codings = Claim.tags.through.objects.filter(tag_id=tag.pk).count()
    children = Tag.objects.filter(parent_id=tag.pk).count()
    return {"codings": codings, "children": children, "total": codings + children}


def tags_with_descendants(slugs: list[str], project=None) -> list[int]:
    """Ids of the tags named (in `project`'s codebook) and of every tag under them (a codebook is small: one
    query)."""
    tags = list(tags_list(project).values_list("id", "slug", "parent_id"))
    children: dict[int | None, list[int]] = {}
    for tag_id, _, parent_id in tags:
        children.setdefault(parent_id, []).append(tag_id)
    found = [tag_id for tag_id, slug, _ in tags if slug in slugs]
    result: set[int] = set()
    while found:
        tag_id = found.pop()
        if tag_id not in result:
            result.add(tag_id)
            found.extend(children.get(tag_id, []))
    return sorted(result)


def codebook_rows(project=None) -> list[discourse.TagRow]:
    """The codebook (of `project`) as plain rows, parents before their children, siblings by slug (one query)."""
    tags = list(tags_list(project).select_related(None).values_list("slug", "name", "colour", "parent__slug"))
    return [
        discourse.TagRow(slug=slug, name=name, colour=colour, parent=parent)
        for (slug, name, colour, parent), _ in _parents_first(tags, key=itemgetter(0), parent=itemgetter(3))
    ]


def _parents_first(
    items: list[T], *, key: Callable[[T], Hashable], parent: Callable[[T], Hashable]
) -> list[tuple[T, int]]:
    """`items` (siblings in the order given) with every parent before its children, each with its depth. An item
    whose parent is not among them starts a tree; a loop of parents cannot be reached from the top, so its items
    come last (depth 0) rather than be lost."""
    known = {key(item) for item in items}
    children: dict[Hashable, list[T]] = {}
    for item in items:
        children.setdefault(parent(item) if parent(item) in known else None, []).append(item)
    ordered: list[tuple[T, int]] = []
    placed: set[Hashable] = set()

    def visit(parent_key: Hashable, depth: int) -> None:
        for item in children.get(parent_key, []):
            if key(item) not in placed:
                placed.add(key(item))
                ordered.append((item, depth))
                visit(key(item), depth + 1)

    visit(None, 0)
    return ordered + [(item, 0) for item in items if key(item) not in placed]


def filter_choices(project) -> dict:
    """What the map and compare pages offer in their filters: the project's codebook, authors and papers."""
    depth: dict[str | None, int] = {None: -1}
    tags = []
    for tag in codebook_rows(project):
        depth[tag.slug] = depth.get(tag.parent, -1) + 1
        tags.append({"slug": tag.slug, "name": tag.name, "indent": "\u2003" * depth[tag.slug]})
    return {
        "tags": tags,
        "authors": list(Author.objects.filter(project=project).order_by("name").values_list("name", flat=True)),
        "papers": list(Paper.objects.filter(project=project).order_by("slug").values_list("slug", "title")),
    }


# --- The codebook of one project, for its page, its pick lists and its exchange files ---


@dataclasses.dataclass
class CodebookEntry:
    """One tag of the codebook page: where it sits in the tree and how many claims the user sees coded with it."""

    tag: Tag
    depth: int
    claims: int
    parent_slug: str | None

    @property
    def indent(self) -> str:
        """Em spaces, one per level: the tree drawn in a table or a <select> (options cannot be styled)."""
        return "\u2003" * self.depth


def codebook_tree(project: Project, user: User) -> list[CodebookEntry]:
    """The project's tags as the user may use them (tags_usable_by), parents before their children (siblings by slug), each with the number of claims the
    user may see coded with it: one query, whatever the size of the codebook."""
    tags = list(
        tags_usable_by(user, project)
        .select_related(None)
        .select_related("proposed_by")
        .annotate(claim_count=Count("codings", filter=claim_visibility(user, "codings__claim__")))
        .order_by("slug")
    )
    slugs = {tag.pk: tag.slug for tag in tags}
    return [
        CodebookEntry(tag, depth, tag.claim_count, slugs.get(tag.parent_id))
        for tag, depth in _parents_first(tags, key=attrgetter("pk"), parent=attrgetter("parent_id"))
    ]


def tags_usable_by(user: User, project: Project | int) -> QuerySet[Tag]:
    """The pick list of a coder: the project's accepted tags and the user's own proposals (for its moderators,
    every proposal, which they may use or accept)."""
    tags = Tag.objects.filter(project=project).select_related("parent").order_by("slug")
    if access.can_moderate(user, project):
        return tags
    return tags.filter(Q(status=TagStatus.ACCEPTED) | Q(proposed_by=user))


def codebook_records(project: Project) -> list[dict]:
    """The project's accepted tags as exchange records (slug, name, description, colour, parent), parents before
    their children: what the JSON, CSV and .qdc codebooks carry. Proposals stay in the project until accepted."""
    tags = exchange_tags(project)  # no claims: the accepted tags alone, none marked a proposal
    return [tag for tag, _ in _parents_first(tags, key=itemgetter("slug"), parent=itemgetter("parent"))]


def _exchange_tags(project: Project, claims: QuerySet[Claim] | None) -> QuerySet[Tag]:
    carried = Q(status=TagStatus.ACCEPTED)
    if claims is not None:
        claim_ids = claims.prefetch_related(None).select_related(None).order_by().values("pk")
        carried |= Q(pk__in=Claim.tags.through.objects.filter(claim_id__in=claim_ids).values("tag_id"))
    return Tag.objects.filter(carried, project=project)


def exchange_tags_count(project: Project, claims: QuerySet[Claim] | None = None) -> int:
    """How many tags exchange_tags gives, counted by the database (one query)."""
    return _exchange_tags(project, claims).count()


def exchange_tags(project: Project, claims: QuerySet[Claim] | None = None) -> list[dict]:
    """The tags an exchange export carries (native, REFI-QDA, the data package), by slug, as native records: the
    project's accepted tags, and the proposals the exported `claims` are coded with (the claims name them anyway),
    each of those with `"status": "proposed"` so that every format can say so. Other proposals stay in the
    project until a moderator decides them. A parent the export does not carry (a proposal no claim uses) is
    left out (`parent` null). The codebook files (.qdc, JSON, CSV) carry accepted tags only: codebook_records."""
    rows = list(
        _exchange_tags(project, claims)
        .order_by("slug")
        .values_list("slug", "name", "description", "colour", "parent__slug", "status")
    )
    slugs = {row[0] for row in rows}
    records = []
    for slug, name, description, colour, parent, status in rows:
        record = {"slug": slug, "name": name, "description": description, "colour": colour,
                  "parent": parent if parent in slugs else None}  # fmt: skip
        if status != TagStatus.ACCEPTED:
            record["status"] = status
        records.append(record)
    return records


def codebook_history(project: Project, user: User, *, limit: int = 500) -> list[dict]:
    """The latest changes to the project's codebook (tags gone included), newest first: two queries. Others'
    proposals are left out for those who cannot see them, as everywhere."""
    rows = Tag.history.filter(project=project).select_related("history_user").order_by("-history_date", "-history_id")
    if not access.can_moderate(user, project):
        rows = rows.filter(Q(status=TagStatus.ACCEPTED) | Q(proposed_by=user))
    rows = list(rows[:limit])
    rows.reverse()
    parents = {row.parent_id for row in rows if row.parent_id}
    slugs = dict(Tag.history.filter(id__in=parents).order_by("history_date", "history_id").values_list("id", "slug"))
    return history.tag_entries(rows, slugs)
