"""Papers, authors, tags and paper revisions in and out."""

from rest_framework import serializers

from ...identifiers import paper_identifier
from ...models import Author, Paper, PaperRevision, Tag, colour_validator
from .fields import BlankIsGiven, RefusesControlCharacters, SlugRef, TargetField, unknown

__all__ = [
    "AuthorOut",
    "BylineOut",
    "PaperDetailOut",
    "PaperOut",
    "PlaceIn",
    "RevisionDetailOut",
    "RevisionIn",
    "RevisionOut",
    "RevisionReportOut",
    "RevisionWithTextOut",
    "TagSerializer",
]


class BylineOut(serializers.Serializer):
    id = serializers.IntegerField(source="author.id")
    name = serializers.CharField(source="author.name")
    affiliation = serializers.CharField(source="author.affiliation")
    country = serializers.CharField(source="author.country")


class PaperOut(serializers.ModelSerializer):
    authors = BylineOut(source="bylines", many=True)
    identifier = serializers.SerializerMethodField(
        help_text="Stable identifier: https://doi.org/DOI, else the URL, else urn:sco-claims:paper:SLUG."
    )

    class Meta:
        model = Paper
        fields = [
            "slug", "title", "year", "year_note", "venue", "authors", "text_sha256", "created_at", "updated_at",
            "doi", "url", "identifier",
        ]  # fmt: skip

    def get_identifier(self, paper: Paper) -> str:
        return paper_identifier(slug=paper.slug, doi=paper.doi, url=paper.url)


class PaperDetailOut(PaperOut):
    length = serializers.SerializerMethodField(help_text="Length of the text in Unicode code points.")

    class Meta(PaperOut.Meta):
        fields = [*PaperOut.Meta.fields, "length", "text"]

    def get_length(self, paper: Paper) -> int:
        return len(paper.text)


class AuthorOut(serializers.ModelSerializer):
    papers = serializers.SerializerMethodField()

    class Meta:
        model = Author
        fields = ["id", "name", "affiliation", "country", "note", "papers"]

    def get_papers(self, author: Author) -> list[str]:
        return [byline.paper.slug for byline in author.bylines.all()]


class TagSerializer(RefusesControlCharacters, serializers.ModelSerializer):
    """The codebook entry; `parent` is given and shown by slug."""

    colour = BlankIsGiven(
        max_length=7, required=False, default="#888888", validators=[colour_validator], help_text="#rrggbb"
    )

    parent = SlugRef(
        slug_field="slug",
        queryset=Tag.objects.all(),
        required=False,
        allow_null=True,
        error_messages=unknown("parent tag"),
    )

    class Meta:
        model = Tag
        fields = ["slug", "name", "description", "colour", "parent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A parent is a tag of the same project's codebook (the view gives the project).
        if "project" in self.context:
            self.fields["parent"].queryset = Tag.objects.filter(project=self.context["project"])


class RevisionIn(RefusesControlCharacters, serializers.Serializer):
    text = serializers.CharField(max_length=5_000_000, trim_whitespace=False)
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class RevisionReportOut(serializers.Serializer):
    kept = serializers.IntegerField()
    moved_exact = serializers.IntegerField()
    moved_fuzzy = serializers.IntegerField()
    orphaned = serializers.IntegerField()
    already_orphaned = serializers.IntegerField()


class RevisionOut(serializers.ModelSerializer):
    paper = serializers.CharField(source="paper.slug")
    created_by = serializers.CharField(source="created_by.username")
    report = RevisionReportOut()

    class Meta:
        model = PaperRevision
        fields = ["paper", "number", "created_by", "created_at", "note", "old_text_sha256", "new_text_sha256", "report"]


class RevisionDetailOut(RevisionOut):
    """With the claims to look at (moved fuzzily or orphaned) and, on request, the replaced text."""

    class Meta(RevisionOut.Meta):
        fields = [*RevisionOut.Meta.fields, "details"]


class RevisionWithTextOut(RevisionDetailOut):
    class Meta(RevisionOut.Meta):
        fields = [*RevisionDetailOut.Meta.fields, "old_text"]


class PlaceIn(RefusesControlCharacters, serializers.Serializer):
    target = TargetField()
    version = serializers.IntegerField(min_value=1)
