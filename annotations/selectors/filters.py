"""The filters of `claims/` and `links/`, shared by the API, the exports and the commands.

Plain django-filter FilterSets: an unknown value is refused with the app's own ValidationError (api/exceptions.py
turns it into the API's 400), so the exports and the commands filter without the web layer."""

from collections.abc import Mapping

import django_filters
from django.db.models import Q, QuerySet

from ..errors import ValidationError
from ..models import Claim, Link, Paper, Stance, Status, Tag
from .claims import claims_by_author, claims_tagged
from .codebook import tags_with_descendants


def _values(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def _known_slugs(model, value: str, noun: str, project) -> list[str]:
    """The comma-separated slugs in `value`, refused with a 400 naming the first one that does not exist (in
    `project`, when given: another project's paper or tag is unknown here)."""
    slugs = _values(value)
    found = model.objects.filter(slug__in=slugs)
    if project is not None:
        found = found.filter(project=project)
    known = set(found.values_list("slug", flat=True))
    missing = [slug for slug in slugs if slug not in known]
    if missing:
        raise ValidationError({noun: [f'Unknown {noun} "{missing[0]}".']})
    return slugs


class ClaimFilter(django_filters.FilterSet):
    paper = django_filters.CharFilter(method="filter_paper", help_text="Paper slug (comma-separated for several).")
    author = django_filters.CharFilter(method="filter_author", help_text="Author id or exact name.")
    speaker = django_filters.CharFilter(
        method="filter_speaker", help_text="Who holds the view; `authors` for the paper's own authors."
    )
    tag = django_filters.CharFilter(
        method="filter_tag", help_text="Tag slug (comma-separated for any of several); includes its sub-tags."
    )
    stance = django_filters.ChoiceFilter(
        choices=Stance.choices,
        method="filter_stance",
        help_text="The claim's stance; with `tag`, the stance the claim takes on that tag (or a sub-tag).",
    )
    status = django_filters.ChoiceFilter(choices=Status.choices)
    created_by = django_filters.CharFilter(field_name="created_by__username")
    q = django_filters.CharFilter(method="filter_text", help_text="Words in the quote, statement, speaker or note.")

    class Meta:
        model = Claim
        fields = ["paper", "author", "speaker", "tag", "stance", "status", "created_by", "q"]

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The project the filters' slugs are read in: given, or the one the API view put on its request.
        self.project = project if project is not None else getattr(self.request, "sco_project", None)

    def filter_paper(self, queryset, name, value):
        slugs = _known_slugs(Paper, value, "paper", self.project)
        return queryset.filter(paper__slug__in=slugs)

    def filter_author(self, queryset, name, value):
        return claims_by_author(queryset, value.strip())

    def filter_speaker(self, queryset, name, value):
        if value.strip().lower() == "authors":
            return queryset.filter(speaker="")
        return queryset.filter(speaker__iexact=value.strip())

    def filter_tag(self, queryset, name, value):
        slugs = _known_slugs(Tag, value, "tag", self.project)
        # "Who denies enlargement?": with a stance, the stance on the tag, not the claim's own.
        stance = self.form.cleaned_data.get("stance") or None
        return claims_tagged(queryset, tags_with_descendants(slugs, self.project), stance=stance)

    def filter_stance(self, queryset, name, value):
        if self.form.cleaned_data.get("tag"):
            return queryset  # taken with the tag, in filter_tag
        return queryset.filter(stance=value)

    def filter_text(self, queryset, name, value):
        text = Q()
        for word in value.split():
            text &= (
                Q(exact__icontains=word)
                | Q(statement__icontains=word)
                | Q(speaker__icontains=word)
                | Q(note__icontains=word)
            )
        return queryset.filter(text)


class LinkFilter(django_filters.FilterSet):
    claim = django_filters.UUIDFilter(method="filter_claim", help_text="Links from or to this claim.")
    # `source__id`: with `source` or `source_id`, Django reads the filter's `__exact` as the claim's field `exact`
    # (the quote), and the filter found nothing.
    source = django_filters.UUIDFilter(field_name="source__id", help_text="Links from this claim.")
    target = django_filters.UUIDFilter(field_name="target__id", help_text="Links to this claim.")
    relation = django_filters.ChoiceFilter(choices=Link.Relation.choices)
    status = django_filters.ChoiceFilter(choices=Status.choices)
    paper = django_filters.CharFilter(method="filter_paper", help_text="Links with either end in this paper.")
    created_by = django_filters.CharFilter(field_name="created_by__username")

    class Meta:
        model = Link
        fields = ["claim", "source", "target", "relation", "status", "paper", "created_by"]

    def filter_claim(self, queryset, name, value):
        return queryset.filter(Q(source_id=value) | Q(target_id=value))

    def filter_paper(self, queryset, name, value):
        return queryset.filter(Q(source__paper__slug=value) | Q(target__paper__slug=value))


def _refusal(filterset: django_filters.FilterSet) -> ValidationError:
    return ValidationError({name: list(messages) for name, messages in filterset.errors.items()})


def claims_filtered(claims: QuerySet[Claim], params: Mapping[str, str], *, project=None) -> QuerySet[Claim]:
    """`claims` narrowed by the filters of claims/ in `params` (other keys are ignored); a ValidationError
    naming the field for a value no filter accepts (an unknown paper or tag, a stance that is none)."""
    filters = {name: params[name] for name in ClaimFilter.Meta.fields if params.get(name)}
    filterset = ClaimFilter(filters, queryset=claims, project=project)
    if not filterset.is_valid():
        raise _refusal(filterset)
    return filterset.qs
