"""The codebook: tags, their uses and descendants, and the filter choices the map and compare pages offer."""

from django.db.models import QuerySet

from .. import discourse
from ..models import Author, Claim, Paper, Tag


def tags_list(project=None) -> QuerySet[Tag]:
    """The codebook of `project` (every project's tags when None: the shell's and the admin's view)."""
    tags = Tag.objects.select_related("parent").order_by("slug")
    return tags if project is None else tags.filter(project=project)


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
    children: dict[str | None, list[tuple]] = {}
    for tag in tags:
        children.setdefault(tag[3], []).append(tag)
    ordered: list[discourse.TagRow] = []

    def visit(parent: str | None) -> None:
        for slug, name, colour, parent_slug in children.get(parent, []):
            ordered.append(discourse.TagRow(slug=slug, name=name, colour=colour, parent=parent_slug))
            visit(slug)

    visit(None)
    placed = {tag.slug for tag in ordered}
    # A cycle of parents cannot be reached from the top; list its tags anyway rather than lose them.
    ordered += [
        discourse.TagRow(slug, name, colour, parent) for slug, name, colour, parent in tags if slug not in placed
    ]
    return ordered


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
