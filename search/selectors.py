"""Search: the matching passages and claims of one project that a user may see, ranked, grouped by paper and
paged, each with its keyword-in-context line. One query finds and pages the hits (the engine's match joined to
the visibility and filters, compiled by the ORM); two more read the page's papers with their bylines, and two
its claims with their tags."""

from dataclasses import dataclass, field
from math import ceil

from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet

from annotations import selectors
from annotations.errors import ValidationError
from annotations.models import Claim, Paper, PaperAuthor, Stance, Status, User
from annotations.parsing import whole_number
from annotations.suggest.segmentation import sentences
from projects.models import Project

from . import engines, query
from .context import Context, hits, in_context
from .indexing import CLAIM_FIELDS

SCOPES = ("all", "text", "claims")
PAPERS_PER_PAGE = 10
HITS_PER_PAPER = 3
MAX_HITS_PER_PAPER = 50
# The order a claim's hit is shown from: the statement says what the claim is; the quote is the evidence.
CLAIM_FIELDS_SHOWN = ("statement", "exact", "note", "speaker")


@dataclass(frozen=True)
class SearchFilters:
    """What narrows a search, each as given in the query string ('' when not given)."""

    paper: str = ""
    author: str = ""
    country: str = ""
    year: str = ""
    tag: str = ""
    stance: str = ""
    status: str = ""
    scope: str = "all"

    @property
    def claims_only(self) -> bool:
        """A passage of text has no tag, stance or status: with any of those filters, claims alone are searched."""
        return self.scope == "claims" or bool(self.tag or self.stance or self.status)


@dataclass
class Hit:
    """One matching passage (`claim` None) or claim: where it stands in the paper's text, its line in context,
    and where the reader selects for a new claim (`at`, a passage's sentence holding the first hit)."""

    start: int
    end: int
    score: float
    context: Context
    claim: Claim | None = None
    field: str = "text"
    at: tuple[int, int] | None = None


@dataclass
class PaperHits:
    paper: Paper
    count: int
    hits: list[Hit] = field(default_factory=list)


@dataclass
class SearchPage:
    tree: query.Node
    papers: list[PaperHits]
    papers_total: int
    hits_total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.papers_total / self.per_page))


def parsed(text: str) -> query.Node:
    """The query's tree, or the app's ValidationError on `q` with the parser's message (a 400)."""
    try:
        return query.parse(text)
    except query.QuerySyntaxError as error:
        raise ValidationError({"q": [str(error)]}) from error


def _year_range(value: str) -> tuple[int, int]:
    first, _, last = value.partition("-")
    low, high = whole_number(first.strip(), maximum=32767), whole_number((last or first).strip(), maximum=32767)
    if low is None or high is None or low > high:
        raise ValidationError({"year": ["Give a year (2015) or a range of years (2010-2015)."]})
    return low, high


def _papers(project: Project, filters: SearchFilters) -> QuerySet[Paper] | None:
    """The project's papers the filters keep; None without paper filters (the entries carry their project)."""
    if not (filters.paper or filters.author or filters.country or filters.year):
        return None
    papers = Paper.objects.filter(project=project)
    if filters.paper:
        slugs = [slug.strip() for slug in filters.paper.split(",") if slug.strip()]
        known = set(papers.filter(slug__in=slugs).values_list("slug", flat=True))
        missing = [slug for slug in slugs if slug not in known]
        if missing:
            raise ValidationError({"paper": [f'Unknown paper "{missing[0]}".']})
        papers = papers.filter(slug__in=slugs)
    if filters.author:
        bylines = PaperAuthor.objects.filter(selectors.byline_of(filters.author.strip()), paper_id=OuterRef("pk"))
        papers = papers.filter(Exists(bylines))
    if filters.country:
        bylines = PaperAuthor.objects.filter(author__country__iexact=filters.country.strip(), paper_id=OuterRef("pk"))
        papers = papers.filter(Exists(bylines))
    if filters.year:
        low, high = _year_range(filters.year)
        papers = papers.filter(year__gte=low, year__lte=high)
    return papers.order_by().values("id")


def _claims(user: User, project: Project, filters: SearchFilters) -> QuerySet[Claim]:
    claims = Claim.objects.filter(selectors.claim_visibility(user, project=project))
    if filters.stance and filters.stance not in Stance.values:
        raise ValidationError({"stance": [f"Choose one of: {', '.join(Stance.values)}."]})
    if filters.status and filters.status not in Status.values:
        raise ValidationError({"status": [f"Choose one of: {', '.join(Status.values)}."]})
    if filters.tag:
        slugs = [slug.strip() for slug in filters.tag.split(",") if slug.strip()]
        known = set(selectors.tags_list(project).filter(slug__in=slugs).values_list("slug", flat=True))
        missing = [slug for slug in slugs if slug not in known]
        if missing:
            raise ValidationError({"tag": [f'Unknown tag "{missing[0]}".']})
        # With a tag, the stance the claim takes on it (as the claims list filters).
        tag_ids = selectors.tags_with_descendants(slugs, project)
        claims = selectors.claims_tagged(claims, tag_ids, stance=filters.stance or None)
    elif filters.stance:
        claims = claims.filter(stance=filters.stance)
    if filters.status:
        claims = claims.filter(status=filters.status)
    return claims.order_by().values("id")


def _compiled(queryset: QuerySet) -> tuple[str, list]:
    sql, params = queryset.query.sql_with_params()
    return sql, list(params)


_PAGED = """
WITH found AS {materialized} (
    SELECT e.id AS id, e.paper_id AS paper_id, e.claim_id AS claim_id, e.start AS start, e."end" AS stop,
           e.text AS text, {score} AS score
    FROM {source}
    WHERE {match} AND e.project_id = %s
),
matches AS (
    SELECT e.* FROM found e WHERE ({papers}) AND ({scope})
),
ranked AS (
    SELECT m.*, ROW_NUMBER() OVER (PARTITION BY paper_id ORDER BY score DESC, start, id) AS n,
           COUNT(*) OVER (PARTITION BY paper_id) AS paper_hits, MAX(score) OVER (PARTITION BY paper_id) AS best
    FROM matches m
),
numbered AS (SELECT r.*, DENSE_RANK() OVER (ORDER BY best DESC, paper_id) AS paper_no FROM ranked r),
counted AS (
    SELECT x.*, MAX(paper_no) OVER () AS papers_total, COUNT(*) OVER () AS hits_total FROM numbered x
)
SELECT paper_id, claim_id, start, stop, text, score, paper_hits, papers_total, hits_total
FROM counted WHERE n <= %s AND paper_no > %s AND paper_no <= %s ORDER BY paper_no, n
"""


def _rows(tree, user, project, filters, *, first_paper: int, papers: int, per_paper: int) -> list[tuple]:
    vendor = connection.vendor
    source, match, match_params = engines.matches_sql(vendor, tree)
    kept = _papers(project, filters)
    if kept is None:
        papers_sql, papers_params = "1 = 1", []
    elif vendor == "postgresql":
        # Read first and handed over as one array, which PostgreSQL hashes: as a subquery, a plan made on stale
        # statistics (just after an import) joined it to the matches row by row, for seconds.
        papers_sql, papers_params = "e.paper_id = ANY(%s)", [list(kept.values_list("id", flat=True))]
    else:
        papers_sql, papers_params = _compiled(kept)
        papers_sql = f"e.paper_id IN ({papers_sql})"
    claims_sql, claims_params = _compiled(_claims(user, project, filters))
    text_allowed = "0 = 1" if filters.claims_only else "e.claim_id IS NULL"
    scope = f"e.claim_id IN ({claims_sql})"
    params = [*match_params, project.pk, *papers_params]
    if filters.scope != "text":
        scope = f"{text_allowed} OR {scope}"
        params += claims_params
    else:
        scope = text_allowed
    sql = _PAGED.format(
        materialized=engines.materialized(vendor), score=engines.score_sql(vendor), source=source, match=match,
        papers=papers_sql, scope=scope,
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, per_paper, first_paper, first_paper + papers])
        return cursor.fetchall()


def _sentence_at(text: str, start: int, found: list[tuple[int, int]]) -> tuple[int, int]:
    """The sentence of a passage holding its first hit, as offsets into the paper's text (the reader selects it)."""
    if found:
        for s, e in sentences(text):
            if s <= found[0][0] < e:
                return start + s, start + e
    return start, start + len(text)


def _claim_hit(claim: Claim, tree: query.Node, score: float) -> Hit:
    for name in CLAIM_FIELDS_SHOWN:
        value = getattr(claim, name) or ""
        found = hits(value, tree)
        if found:
            return Hit(claim.start, claim.end, score, in_context(value, found), claim=claim, field=name)
    return Hit(claim.start, claim.end, score, in_context(claim.statement, []), claim=claim, field="statement")


def search(
    user: User,
    project: Project,
    text: str,
    filters: SearchFilters = SearchFilters(),
    *,
    page: int = 1,
    per_page: int = PAPERS_PER_PAGE,
    per_paper: int = HITS_PER_PAPER,
) -> SearchPage:
    """The page `page` of the papers whose text or claims match `text`, best first, with up to `per_paper`
    hits each; a ValidationError naming the parameter for a query or filter value that is refused."""
    tree = parsed(text)
    if filters.scope not in SCOPES:
        raise ValidationError({"in": [f"Choose one of: {', '.join(SCOPES)}."]})
    per_paper = max(1, min(per_paper, MAX_HITS_PER_PAPER))
    rows = _rows(tree, user, project, filters, first_paper=(page - 1) * per_page, papers=per_page, per_paper=per_paper)
    papers_total = rows[0][7] if rows else 0
    hits_total = rows[0][8] if rows else 0
    if not rows and page > 1:
        # Past the last page: the totals, from the first.
        first = _rows(tree, user, project, filters, first_paper=0, papers=1, per_paper=1)
        papers_total, hits_total = (first[0][7], first[0][8]) if first else (0, 0)
    paper_ids = list(dict.fromkeys(row[0] for row in rows))
    by_id = {
        paper.pk: paper
        for paper in Paper.objects.filter(pk__in=paper_ids).defer("text", "pages").prefetch_related(selectors.bylines())
    }
    claim_ids = [row[1] for row in rows if row[1] is not None]
    claims = {}
    if claim_ids:
        read = (
            Claim.objects.filter(pk__in=claim_ids)
            .only("id", "paper_id", "start", "end", "status", "stance", "statement", *CLAIM_FIELDS)
            .prefetch_related(selectors.codings_with_tags())
        )
        # Raw rows give a claim's id as 32 hex digits (SQLite) or a UUID (PostgreSQL): compared without dashes.
        claims = {str(claim.pk).replace("-", ""): claim for claim in read}
    grouped: dict[int, PaperHits] = {}
    for paper_id, claim_id, start, end, entry_text, score, paper_hits, _, _ in rows:
        group = grouped.setdefault(paper_id, PaperHits(by_id[paper_id], paper_hits))
        if claim_id is None:
            found = hits(entry_text, tree)
            hit = Hit(start, end, score, in_context(entry_text, found), at=_sentence_at(entry_text, start, found))
            hit.context = _shifted(hit.context, start)
            group.hits.append(hit)
        else:
            claim = claims.get(str(claim_id).replace("-", ""))
            if claim is not None:
                group.hits.append(_claim_hit(claim, tree, score))
    return SearchPage(tree, list(grouped.values()), papers_total, hits_total, page, per_page)


def _shifted(context: Context, start: int) -> Context:
    """A passage's context with `offset` into the paper's text rather than the passage."""
    return Context(context.text, context.highlights, context.offset + start)
