"""Import reads: what the instance already holds of what an import file names."""

from django.db.models import Q

from ..exports import native
from ..importing import Known
from ..models import Author, Claim, Link, Paper, Status, Tag, User
from .exports import _batches, claim_rows, link_rows


def known_for_import(referenced: dict[str, set[str]]):
    """What the instance already holds of what an import file names (see importing.Known)."""

    known = Known()
    for batch in _batches(referenced["papers"]):
        known.paper_texts.update(Paper.objects.filter(slug__in=batch).values_list("slug", "text"))
    for batch in _batches(referenced["authors"]):
        known.author_names.update(Author.objects.filter(name__in=batch).values_list("name", flat=True))
    for slug, parent in Tag.objects.values_list("slug", "parent__slug"):
        known.tag_slugs.add(slug)
        known.tag_parents[slug] = parent
    for batch in _batches(referenced["users"]):
        known.usernames.update(User.objects.filter(username__in=batch).values_list("username", flat=True))
    for batch in _batches(referenced["claims"]):
        for claim in claim_rows(Claim.objects.filter(pk__in=batch)):
            known.claims[str(claim.id)] = native.claim_record(claim)
            known.claim_ids.add(str(claim.id))
    for batch in _batches(referenced["links"]):
        for link in link_rows(Link.objects.filter(pk__in=batch)):
            known.links[str(link.id)] = native.link_record(link)
    for batch in _batches(referenced["claims"]):
        live = Link.objects.filter(Q(source_id__in=batch) | Q(target_id__in=batch), deleted_at__isnull=True).exclude(
            status=Status.REJECTED
        )
        for link_id, source, target, relation in live.values_list("id", "source_id", "target_id", "relation"):
            known.live_links[frozenset((str(source), str(target)))] = (str(link_id), str(source), relation)
    return known
