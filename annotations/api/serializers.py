"""Input and output shapes of the API. Thin: parsing and presenting only; the rules are in services."""

import re

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty
from rest_framework.utils import html

from .. import actions as allowed
from ..identifiers import paper_identifier
from ..models import Author, Claim, HistoryAction, Link, Paper, PaperRevision, Stance, Tag, colour_validator
from ..sanitize import render_markdown
from ..textrules import control_character_problem, refuse_control_characters

STANCES = ", ".join(Stance.values)
RELATIONS = ", ".join(Link.Relation.values)


def unknown(noun: str) -> dict:
    return {"does_not_exist": f'Unknown {noun} "{{value}}".', "invalid": f"Give the {noun} as a string."}


SLUG = re.compile(r"[-a-zA-Z0-9_]+")


class RefusesControlCharacters:
    """Put first among an input serializer's bases: every text field refuses control characters (400 naming it)."""

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            if isinstance(field, serializers.CharField):
                field.validators.append(refuse_control_characters)
        return fields


class SlugRef(serializers.SlugRelatedField):
    """A reference by slug; a string that cannot be a slug is unknown without asking the database (which, for
    PostgreSQL, would fail on a NUL character instead of finding nothing)."""

    def to_internal_value(self, data):
        if isinstance(data, str) and not SLUG.fullmatch(data):
            self.fail("does_not_exist", slug_name=self.slug_field, value=data)
        return super().to_internal_value(data)


class TargetIn(serializers.Serializer):
    """The target as the client gives it (documentation shape of TargetField)."""

    exact = serializers.CharField(required=False, help_text="The quoted text, character for character.")
    prefix = serializers.CharField(required=False, help_text="Text just before the quote, to choose among repeats.")
    suffix = serializers.CharField(required=False, help_text="Text just after the quote.")
    start = serializers.IntegerField(required=False, min_value=0, help_text="Start, in Unicode code points.")
    end = serializers.IntegerField(required=False, min_value=0, help_text="End (exclusive), in code points.")


@extend_schema_field(TargetIn)
class TargetField(serializers.Field):
    """A target as the contract gives it: a quote (exact, prefix, suffix), positions (start, end), or both."""

    default_error_messages = {
        "not_object": "Give the target as an object with exact (and optional prefix, suffix) and/or start and end.",
        "unknown_keys": "Unknown target fields: {keys}. Use exact, prefix, suffix, start and end.",
        "not_text": "{name} must be a string.",
        "not_int": "{name} must be a whole number of code points (0 or more).",
        "too_long": "{name} is too long (at most {limit} characters).",
        "control": "{name}: {problem}",
    }
    TEXT_LIMITS = {"exact": 20000, "prefix": 2000, "suffix": 2000}

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            self.fail("not_object")
        extra = set(data) - {"exact", "prefix", "suffix", "start", "end"}
        if extra:
            self.fail("unknown_keys", keys=", ".join(sorted(extra)))
        target = {}
        for key, limit in self.TEXT_LIMITS.items():
            if data.get(key) is not None:
                if not isinstance(data[key], str):
                    self.fail("not_text", name=key)
                if len(data[key]) > limit:
                    self.fail("too_long", name=key, limit=limit)
                if problem := control_character_problem(data[key]):
                    self.fail("control", name=key, problem=problem)
                target[key] = data[key]
        for key in ("start", "end"):
            if data.get(key) is not None:
                value = data[key]
                if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                    self.fail("not_int", name=key)
                target[key] = value
        return target

    def to_representation(self, claim: Claim) -> dict:
        return {
            "start": claim.start,
            "end": claim.end,
            "exact": claim.exact,
            "prefix": claim.prefix,
            "suffix": claim.suffix,
        }


class TargetOut(serializers.Serializer):
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    exact = serializers.CharField()
    prefix = serializers.CharField()
    suffix = serializers.CharField()


# Issue 7: how a claim came to stand where it is (re-anchoring by paper revisions).
class AnchorOut(serializers.Serializer):
    state = serializers.ChoiceField(
        choices=Claim.AnchorState.choices,
        help_text="original | exact (moved by a revision onto the same words) | fuzzy | orphaned | manual",
    )
    score = serializers.FloatField(
        allow_null=True, help_text="Similarity 0-1 of a fuzzy placement, or the best one found for an orphan."
    )


NOTE_HTML_HELP = "The note (as typed, Markdown) rendered as sanitized HTML, ready to show."
RATIONALE_HTML_HELP = "The rationale (as typed, Markdown) rendered as sanitized HTML, ready to show."
ACTIONS_HELP = (
    "What the user asking may do to this item now, by their role, its status and who made it (annotations.actions): "
    "edit, resubmit (an edit that sends one's own rejected item back to review), delete, approve, reject, reopen, "
    "restore (a deleted item), link (a claim as an end of a new link). Draw buttons from this; the rules stay here."
)

stance_field_errors = {"invalid_choice": f'Unknown stance "{{input}}": use {STANCES}.'}


class CodingOut(serializers.Serializer):
    tag = serializers.CharField()
    stance = serializers.ChoiceField(choices=Stance.choices)


@extend_schema_field(
    {
        "type": "array",
        "items": {
            "oneOf": [
                {"type": "string", "description": "A tag slug: the claim's stance (on an edit, the tag's own)."},
                {
                    "type": "object",
                    "description": "A tag with the stance the claim takes on it.",
                    "properties": {"tag": {"type": "string"}, "stance": {"type": "string", "enum": Stance.values}},
                    "required": ["tag"],
                    "additionalProperties": False,
                },
            ]
        },
    }
)
class CodingsField(serializers.Field):
    """The claim's tags: each a slug, or `{"tag": slug, "stance": ...}` (mixed lists are fine).

    Gives [(Tag, stance or None)]; a tag without a stance is placed by the rules of annotations.codings.
    """

    default_error_messages = {
        "not_list": 'Give the tags as a list of tag slugs or of {{"tag": slug, "stance": ...}} objects.',
        "bad_item": 'Item {position}: give a tag slug or {{"tag": slug, "stance": ...}}.',
        "unknown_keys": 'Item {position}: unknown fields {keys}; use "tag" and "stance".',
        "unknown_tag": 'Unknown tag "{value}".',
        "bad_stance": f'Unknown stance "{{value}}" for tag "{{tag}}": use {STANCES}.',
        "duplicate": 'Tag "{value}" is given twice.',
    }

    def get_value(self, dictionary):
        # A form body (multipart) repeats the key, as the many-related field it replaces read it.
        if html.is_html_input(dictionary):
            return dictionary.getlist(self.field_name) if self.field_name in dictionary else empty
        return dictionary.get(self.field_name, empty)

    def to_internal_value(self, data) -> list[tuple[Tag, str | None]]:
        if not isinstance(data, list):
            self.fail("not_list")
        errors: list[str] = []
        given: list[tuple[str, str | None]] = []
        for position, item in enumerate(data):
            if isinstance(item, dict):
                extra = set(item) - {"tag", "stance"}
                if extra:
                    errors.append(
                        self.error_messages["unknown_keys"].format(
                            position=position, keys=", ".join(sorted(map(str, extra)))
                        )
                    )
                    continue
                slug, stance = item.get("tag"), item.get("stance")
            else:
                slug, stance = item, None
            if not isinstance(slug, str):
                errors.append(self.error_messages["bad_item"].format(position=position))
                continue
            if stance is not None and stance not in Stance.values:
                errors.append(self.error_messages["bad_stance"].format(value=stance, tag=slug))
                continue
            if slug in {known for known, _ in given}:
                errors.append(self.error_messages["duplicate"].format(value=slug))
                continue
            given.append((slug, stance))
        # A string that cannot be a slug is unknown without asking the database (see SlugRef).
        slugs = [slug for slug, _ in given if SLUG.fullmatch(slug)]
        tags = {tag.slug: tag for tag in Tag.objects.filter(slug__in=slugs)} if slugs else {}
        errors += [self.error_messages["unknown_tag"].format(value=slug) for slug, _ in given if slug not in tags]
        if errors:
            raise serializers.ValidationError(errors)
        return [(tags[slug], stance) for slug, stance in given]

    def to_representation(self, value):
        return value


TAGS_HELP = (
    'Tag slugs, or {"tag": slug, "stance": affirms|denies|qualifies} objects, or both. A tag without a stance '
    "takes the claim's stance (on an edit: keeps the one it has, if the claim had the tag)."
)


class ClaimTagsIn(serializers.Serializer):
    """`tags`, or `codings` as another name for it (not both)."""

    tags = CodingsField(required=False, help_text=TAGS_HELP)
    codings = CodingsField(required=False, help_text="Another name for `tags` (give one of them).")

    def validate(self, attrs):
        if "tags" in attrs and "codings" in attrs:
            raise serializers.ValidationError({"codings": ["Give the tags as tags or as codings, not both."]})
        if "codings" in attrs:
            attrs["tags"] = attrs.pop("codings")
        return attrs


class ClaimIn(RefusesControlCharacters, ClaimTagsIn):
    # Without its text: claim_create reads that afresh under the paper's lock.
    paper = SlugRef(slug_field="slug", queryset=Paper.objects.only("id", "slug"), error_messages=unknown("paper"))
    target = TargetField()
    statement = serializers.CharField(max_length=5000)
    speaker = serializers.CharField(max_length=200, required=False, allow_null=True, allow_blank=True)
    stance = serializers.ChoiceField(choices=Stance.choices, default=Stance.AFFIRMS, error_messages=stance_field_errors)
    note = serializers.CharField(max_length=20000, required=False, allow_blank=True, trim_whitespace=False)


class ClaimPatch(RefusesControlCharacters, ClaimTagsIn):
    version = serializers.IntegerField(min_value=1)
    target = TargetField(required=False)
    statement = serializers.CharField(max_length=5000, required=False)
    speaker = serializers.CharField(max_length=200, required=False, allow_null=True, allow_blank=True)
    stance = serializers.ChoiceField(
        choices=Stance.choices,
        required=False,
        error_messages=stance_field_errors,
        help_text="The claim's stance. Tags that held the old one follow it; tags set apart keep theirs.",
    )
    note = serializers.CharField(max_length=20000, required=False, allow_blank=True, trim_whitespace=False)


class ModerationIn(RefusesControlCharacters, serializers.Serializer):
    decision = serializers.ChoiceField(
        choices=["approve", "reject", "reopen"],
        error_messages={"invalid_choice": 'Unknown decision "{input}": use approve, reject or reopen.'},
        help_text="approve (from pending or rejected), reject (needs a reason), reopen (back to pending).",
    )
    reason = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class RestoreIn(RefusesControlCharacters, serializers.Serializer):
    reason = serializers.CharField(max_length=5000, required=False, allow_blank=True)


# "from" is a Python keyword, so this shape is built with type() to give the field its JSON name.
HistoryChangeOut = type(
    "HistoryChangeOut",
    (serializers.Serializer,),
    {"from": serializers.JSONField(allow_null=True), "to": serializers.JSONField(allow_null=True)},
)


class HistoryEntryOut(serializers.Serializer):
    at = serializers.DateTimeField()
    by = serializers.CharField(allow_null=True, help_text="Username of who did it (null if unknown).")
    action = serializers.ChoiceField(choices=HistoryAction.choices)
    changes = serializers.DictField(
        child=HistoryChangeOut(),
        help_text='{field: {from, to}}; tags as sorted lists of slugs, codings as sorted "slug:stance" lists.',
    )
    reason = serializers.CharField(allow_blank=True)


class ModerationOut(serializers.Serializer):
    by = serializers.CharField(source="moderated_by.username")
    at = serializers.DateTimeField(source="moderated_at")
    reason = serializers.CharField(source="moderation_reason")


class ModeratedOut(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.username")
    moderation = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField(help_text=ACTIONS_HELP)

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=allowed.ALL)))
    def get_actions(self, item) -> list[str]:
        # The viewer's permissions are loaded once per request and cached on the user: no query per item.
        user = self.context["request"].user
        return allowed.claim_actions(user, item) if isinstance(item, Claim) else allowed.link_actions(user, item)

    @extend_schema_field(ModerationOut(allow_null=True))
    def get_moderation(self, item) -> dict | None:
        if item.moderated_by_id is None:
            return None
        return ModerationOut(item).data


class ClaimOut(ModeratedOut):
    paper = serializers.CharField(source="paper.slug")
    target = serializers.SerializerMethodField()
    speaker = serializers.SerializerMethodField()
    tags = serializers.SerializerMethodField()
    codings = serializers.SerializerMethodField()

    class Meta:
        model = Claim
        fields = [
            "id", "paper", "target", "statement", "speaker", "stance", "tags", "codings", "note", "note_html",
            "status",
            "version", "created_by", "created_at", "updated_at", "moderation", "deleted_at", "anchor", "actions",
        ]  # fmt: skip

    anchor = serializers.SerializerMethodField()
    note_html = serializers.SerializerMethodField(help_text=NOTE_HTML_HELP)

    def get_note_html(self, claim: Claim) -> str:
        return render_markdown(claim.note)

    @extend_schema_field(TargetOut)
    def get_target(self, claim: Claim) -> dict:
        return TargetField().to_representation(claim)

    def get_speaker(self, claim: Claim) -> str | None:
        return claim.speaker or None

    def get_tags(self, claim: Claim) -> list[str]:
        return sorted(coding.tag.slug for coding in claim.codings.all())

    @extend_schema_field(CodingOut(many=True))
    def get_codings(self, claim: Claim) -> list[dict]:
        """Each tag with the stance the claim takes on it, by tag slug."""
        return sorted(({"tag": c.tag.slug, "stance": c.stance} for c in claim.codings.all()), key=lambda c: c["tag"])

    @extend_schema_field(AnchorOut)
    def get_anchor(self, claim: Claim) -> dict:
        return {"state": claim.anchor_state, "score": claim.anchor_score}


class LinkIn(RefusesControlCharacters, serializers.Serializer):
    source = serializers.UUIDField()
    target = serializers.UUIDField()
    relation = serializers.ChoiceField(
        choices=Link.Relation.choices,
        error_messages={"invalid_choice": f'Unknown relation "{{input}}": use {RELATIONS}.'},
    )
    rationale = serializers.CharField(max_length=20000, required=False, allow_blank=True, trim_whitespace=False)


class LinkPatch(RefusesControlCharacters, serializers.Serializer):
    version = serializers.IntegerField(min_value=1)
    relation = serializers.ChoiceField(
        choices=Link.Relation.choices,
        required=False,
        error_messages={"invalid_choice": f'Unknown relation "{{input}}": use {RELATIONS}.'},
    )
    rationale = serializers.CharField(max_length=20000, required=False, allow_blank=True, trim_whitespace=False)


class LinkEndOut(serializers.Serializer):
    id = serializers.UUIDField()
    paper = serializers.CharField(source="paper.slug")
    exact = serializers.CharField()
    statement = serializers.CharField()


class LinkOut(ModeratedOut):
    source = LinkEndOut()
    target = LinkEndOut()

    class Meta:
        model = Link
        fields = [
            "id", "source", "target", "relation", "rationale", "rationale_html", "status", "version",
            "created_by", "created_at", "updated_at", "moderation", "deleted_at", "actions",
        ]  # fmt: skip

    rationale_html = serializers.SerializerMethodField(help_text=RATIONALE_HTML_HELP)

    def get_rationale_html(self, link: Link) -> str:
        return render_markdown(link.rationale)


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


class BlankIsGiven(serializers.CharField):
    """In a form body an empty value is a value, refused as blank, not a missing one that takes the default."""

    def get_value(self, dictionary):
        if html.is_html_input(dictionary) and dictionary.get(self.field_name) == "":
            return ""
        return super().get_value(dictionary)


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


# --- Paper revisions and re-anchoring (issue 7) -----------------------------------------------------------


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
