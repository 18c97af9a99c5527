"""Import reads: what the instance already holds of what an import file names."""

from django.db.models import Q

from ..exports import native
from ..importing import Known
from ..models import Author, Claim, Link, Paper, Status, Tag, User
from .exports import _batches, claim_rows, link_rows


def taken_elsewhere(referenced: dict[str, set[str]], project) -> dict[str, list[str]]:
    """The paper slugs, claim ids and link ids of an import file that another project holds, as import problems
    that name the value and nothing of that project (slugs and ids are unique across projects)."""
    elsewhere = {
        "papers": (Paper.objects.exclude(project=project), "slug", "The paper slug {} is taken: give it another slug."),
        "claims": (
            Claim.objects.exclude(paper__project=project),
            "pk",
            "The claim id {} is taken: give it another id.",
        ),
        "links": (
            Link.objects.exclude(source__paper__project=project),
            "pk",
            "The link id {} is taken: give it another id.",
        ),
    }
    problems: dict[str, list[str]] = {}
    for kind, (others, key, words) in elsewhere.items():
        for batch in _batches(referenced[kind]):
            for value in sorted(
                str(value) for value in others.filter(**{f"{key}__in": batch}).values_list(key, flat=True)
            ):
                problems.setdefault(kind, []).append(words.format(f'"{value}"'))
    return problems


def known_for_import(referenced: dict[str, set[str]], project):
    """What `project` already holds of what an import file names (see importing.Known)."""

    known = Known()
    for batch in _batches(referenced["papers"]):
        known.paper_texts.update(Paper.objects.filter(project=project, slug__in=batch).values_list("slug", "text"))
    for batch in _batches(referenced["authors"]):
        authors = Author.objects.filter(project=project, name__in=batch)
        known.author_names.update(authors.values_list("name", flat=True))
    for slug, parent in Tag.objects.filter(project=project).values_list("slug", "parent__slug"):
        known.tag_slugs.add(slug)
        known.tag_parents[slug] = parent
    for batch in _batches(referenced["users"]):
        known.usernames.update(User.objects.filter(username__in=batch).values_list("username", flat=True))
    for batch in _batches(referenced["claims"]):
        for claim in claim_rows(Claim.objects.filter(paper__project=project, pk__in=batch)):
            known.claims[str(claim.id)] = native.claim_record(claim)
            known.claim_ids.add(str(claim.id))
    for batch in _batches(referenced["links"]):
        for link in link_rows(Link.objects.filter(source__paper__project=project, pk__in=batch)):
            known.links[str(link.id)] = native.link_record(link)
    for batch in _batches(referenced["claims"]):
        live = Link.objects.filter(Q(source_id__in=batch) | Q(target_id__in=batch), deleted_at__isnull=True).exclude(
            status=Status.REJECTED
        )
        for link_id, source, target, relation in live.values_list("id", "source_id", "target_id", "relation"):
            known.live_links[frozenset((str(source), str(target)))] = (str(link_id), str(source), relation)
    return known
