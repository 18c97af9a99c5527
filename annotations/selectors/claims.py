"""Claims and links as each role may see them: visibility, lookups, filters by tag and author, history."""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from projects.models import ProjectRole
from rounds.selectors import under_open_round

from .. import roles
from ..models import Claim, Coding, Link, Paper, PaperAuthor, Status, User
from ..parsing import whole_number

# The prefix of a link's own fields, told apart from a claim's (also "") by the paper paths it needs.
LINK = "link:"


def _paper_paths(prefix: str) -> tuple[tuple[str, str], ...]:
    """Where the paper and project of the items at `prefix` are: a claim's own, or a link's two ends'."""
    if prefix == LINK:
        return tuple((f"{end}paper_id", f"{end}paper__project_id") for end in ("source__", "target__"))
    return ((f"{prefix}paper_id", f"{prefix}paper__project_id"),)


def _rule(role: str, prefix: str, user: User) -> Q:
    """What one role sees of the items at `prefix` (a claim's or a link's own fields): readers approved ones;
    analysts also their own; moderators all. On a paper under an open coding round (independent mode), readers
    and analysts see their own items alone, until the round is closed."""
    papers = _paper_paths(prefix)
    prefix = "" if prefix == LINK else prefix
    alive = Q(**{f"{prefix}deleted_at__isnull": True})
    if role == ProjectRole.MODERATOR:
        return alive
    own = Q(**{f"{prefix}created_by": user})
    independent = Q()
    for paper_path, project_path in papers:
        independent &= ~Q(under_open_round(paper_path, project_path))
    if role == ProjectRole.ANALYST:
        return alive & ((Q(**{f"{prefix}status": Status.APPROVED}) & independent) | own)
    return alive & Q(**{f"{prefix}status": Status.APPROVED}) & independent


def _visibility(user: User, prefix: str, project_path: str, *, deleted: bool, project, ends: tuple = ()) -> Q:
    """The role rules of each of the user's projects (or of `project` alone), each kept to its projects: a user
    sees nothing of a project they are not a member of. `ends`: the prefixes of other items (a link's claims, in
    the link's project) that the same role must see too."""
    fields = "" if prefix == LINK else prefix
    visible = Q(**{f"{fields}pk__in": []})
    for role, ids in roles.projects_by_role(user, project):
        where = Q() if ids is None else Q(**{f"{project_path}__in": ids})
        if deleted:
            if role == ProjectRole.MODERATOR:
                visible |= where & Q(**{f"{fields}deleted_at__isnull": False})
            continue
        for items in (prefix, *ends):
            where &= _rule(role, items, user)
        visible |= where
    return visible


def claim_visibility_class(user: User, project) -> str:
    """A name for what `user` sees of `project`'s live claims by `_rule`: two users given the same name see the same
    claims, so what one was shown may be cached for the other. Moderators see all; readers the approved ones;
    an analyst also their own, hence a class of their own."""
    groups = roles.projects_by_role(user, project)
    if not groups:
        return "none"
    role = groups[0][0]
    if role == ProjectRole.MODERATOR:
        return "all"
    if role == ProjectRole.ANALYST:
        return f"approved+own-{user.pk}"
    return "approved"


def claim_visibility(user: User, prefix: str = "", *, deleted: bool = False, project=None) -> Q:
    """Which claims `user` may see, in each project by their role there: readers approved ones; analysts also
    their own; moderators all. With `project`, that project's claims alone.

    Deleted claims are seen by moderators only, and only when asked for (`deleted=True`: those alone).
    """
    return _visibility(user, prefix, f"{prefix}paper__project_id", deleted=deleted, project=project)


def claim_rule_in(user: User, project, prefix: str = "") -> Q:
    """The role rule of `user` in `project` alone, without its project condition: for a query already kept to
    the project (a project's papers counting their claims)."""
    groups = roles.projects_by_role(user, project)
    return _rule(groups[0][0], prefix, user) if groups else Q(pk__in=[])


def link_own_visibility(user: User, *, deleted: bool = False, project=None) -> Q:
    """The claim rules applied to links themselves, in their claims' project; their ends are not checked."""
    return _visibility(user, LINK, "source__paper__project_id", deleted=deleted, project=project)


def link_visibility(user: User, *, deleted: bool = False, project=None) -> Q:
    """A link is visible by the claim rules applied to itself (in its claims' project), and both its ends must be
    visible too.

    With `deleted=True`, moderators get the deleted links, whatever became of their ends.
    """
    # A link's claims are in its project (the services refuse any other), so the project is checked once.
    ends = () if deleted else ("source__", "target__")
    return _visibility(user, LINK, "source__paper__project_id", deleted=deleted, project=project, ends=ends)


def independent_work_visibility(user: User, *, papers: tuple[str, ...], by: str, project=None) -> Q:
    """Other work on papers that is not a claim or a link (judgements of suggestions, say) by the same rule of
    independent mode: readers and analysts see none done by others on a paper under an open round (`papers`: the
    paths to each paper concerned, the first one's project being the row's); moderators see it all."""
    project_path = f"{papers[0]}__project_id"
    visible = Q(pk__in=[])
    for role, ids in roles.projects_by_role(user, project):
        where = Q() if ids is None else Q(**{f"{project_path}__in": ids})
        if role != ProjectRole.MODERATOR:
            for paper in papers:
                where &= ~Q(under_open_round(f"{paper}_id", f"{paper}__project_id")) | Q(**{by: user})
        visible |= where
    return visible


def codings_with_tags(lookup: str = "codings") -> Prefetch:
    """The codings of claims (or of `lookup`) with their tags' slugs, by slug: one query for all of them.
    `claim.codings.all()` then gives tags and stances; the tags alone are read from it, not prefetched again."""
    return Prefetch(
        lookup, queryset=Coding.objects.select_related("tag").only("claim", "stance", "tag__slug").order_by("tag__slug")
    )


def claims_visible_to(user: User, *, deleted: bool = False, project=None) -> QuerySet[Claim]:
    return _claims(claim_visibility(user, deleted=deleted, project=project))


def _claims(visible: Q) -> QuerySet[Claim]:
    return (
        Claim.objects.filter(visible)
        .select_related("paper", "created_by", "moderated_by")
        .defer("paper__text")
        .prefetch_related(codings_with_tags())
        .order_by("paper__slug", "start", "end", "id")
    )


def claims_in_paper(user: User, paper: Paper) -> QuerySet[Claim]:
    # Orphaned claims are not placed: their offsets point into a text a revision replaced.
    return claims_visible_to(user).filter(paper=paper).exclude(status=Status.ORPHANED)


def claims_tagged(queryset: QuerySet[Claim], tag_ids: list[int], *, stance: str | None = None) -> QuerySet[Claim]:
    """Claims carrying one of `tag_ids`; with `stance`, taking that stance on one of them."""
    # Exists, not a join, so a claim with two matching tags is listed once without DISTINCT.
    through = Coding.objects.filter(claim_id=OuterRef("pk"), tag_id__in=tag_ids)
    if stance:
        through = through.filter(stance=stance)
    return queryset.filter(Exists(through))


def byline_of(author: str) -> Q:
    """Bylines of `author`, given by id (ASCII digits) or by name (case-insensitive)."""
    author_id = whole_number(author)
    return Q(author_id=author_id) if author_id is not None else Q(author__name__iexact=author)


def claims_by_author(queryset: QuerySet[Claim], author: str) -> QuerySet[Claim]:
    """Claims in papers credited to `author`, given by id or by name (case-insensitive)."""
    return queryset.filter(Exists(PaperAuthor.objects.filter(byline_of(author), paper_id=OuterRef("paper_id"))))


def links_visible_to(user: User, *, deleted: bool = False, project=None) -> QuerySet[Link]:
    return _links(link_visibility(user, deleted=deleted, project=project))


def _links(visible: Q) -> QuerySet[Link]:
    return (
        Link.objects.filter(visible)
        .select_related("source__paper", "target__paper", "created_by", "moderated_by")
        .defer("source__paper__text", "target__paper__text")
        .order_by("created_at", "id")
    )


def link_ends(user: User, claim_ids: set, *, project=None) -> QuerySet[Claim]:
    """The claims of `claim_ids` that `user` may see (in `project`, when given), to be linked: with their papers'
    slugs and projects, which a link's answer and rules need, and no codings."""
    return (
        Claim.objects.filter(claim_visibility(user, project=project), pk__in=claim_ids)
        .select_related("paper")
        .defer("paper__text")
    )


def claim_lookup(user: User, *, project=None) -> QuerySet[Claim]:
    """Where one claim is looked up by id, in any of the user's projects (or in `project`): the visible ones, and
    for moderators the deleted ones too. A claim of a project the user is not in is not found."""
    return _claims(claim_visibility(user, project=project) | claim_visibility(user, deleted=True, project=project))


def link_lookup(user: User, *, project=None) -> QuerySet[Link]:
    """Where one link is looked up by id, in any of the user's projects (or in `project`): the visible ones, and
    for moderators the deleted ones too."""
    return _links(link_visibility(user, project=project) | link_visibility(user, deleted=True, project=project))


def history_of(item: Claim | Link) -> list:
    """The history rows of one claim or link, oldest first, with their authors (and tags) in two queries."""
    rows = type(item).history.filter(id=item.pk).select_related("history_user").order_by("history_date", "history_id")
    if isinstance(item, Claim):
        tag_rows = Claim.history.model.tags.model.objects.select_related("tag")
        rows = rows.prefetch_related(Prefetch("historicalcoding_set", queryset=tag_rows))
    return list(rows)
