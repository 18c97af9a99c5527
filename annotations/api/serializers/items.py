"""Claims and links in and out, and the moderation shapes they share (decisions, restores, history)."""

import copy

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ... import actions as allowed
from ...models import Claim, HistoryAction, Link, Paper, Stance
from ...pages import claim_pages
from ...sanitize import render_markdown
from ...services.moderation import Decision
from .fields import (
    ACTIONS_HELP,
    NOTE_HTML_HELP,
    RATIONALE_HTML_HELP,
    RELATIONS,
    TAGS_HELP,
    AnchorOut,
    CodingOut,
    CodingsField,
    EditsPartially,
    EditVersion,
    RefusesControlCharacters,
    SlugRef,
    TargetField,
    TargetOut,
    stance_field_errors,
    unknown,
)

PAGES_HELP = (
    "[first, last] (1-based) pages the claim stands on, when its paper has pages (a PDF); null otherwise and for "
    "an orphaned claim."
)

__all__ = [
    "ClaimIn",
    "ClaimOut",
    "ClaimTagsIn",
    "HistoryChangeOut",
    "HistoryEntryOut",
    "LinkEndOut",
    "LinkIn",
    "LinkOut",
    "ModeratedOut",
    "ModerationIn",
    "ModerationOut",
    "RestoreIn",
]


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


class ClaimIn(RefusesControlCharacters, EditsPartially, ClaimTagsIn):
    """A new claim (POST), or an edit of one (PATCH: the fields given, and the `version` edited)."""

    # One shape for both: the edit reads it with partial=True (EditsPartially).

    create_only = ("paper",)  # a claim stays in its paper
    version = EditVersion()
    # Without its text: claim_create reads that afresh under the paper's lock. Among the papers the user may
    # read (the view gives them as `papers`): another project's paper is unknown.
    paper = SlugRef(slug_field="slug", queryset=Paper.objects.none(), error_messages=unknown("paper"))
    target = TargetField()
    statement = serializers.CharField(max_length=5000)
    speaker = serializers.CharField(max_length=200, required=False, allow_null=True, allow_blank=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "papers" in self.context and "paper" in self.fields:
            self.fields["paper"].queryset = self.context["papers"].only("id", "slug", "project_id")

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if "tags" in attrs and "project" not in self.context and "paper" in attrs:
            # A new claim: the tags of its paper's project; a tag of another project's codebook is unknown here.
            try:
                attrs["tags"] = self.fields["tags"].pick(attrs["tags"], attrs["paper"].project_id)
            except serializers.ValidationError as error:
                raise serializers.ValidationError({"tags": error.detail}) from error
        return attrs

    stance = serializers.ChoiceField(
        choices=Stance.choices,
        default=Stance.AFFIRMS,
        error_messages=stance_field_errors,
        help_text="The claim's stance. On an edit, tags that held the old one follow it; tags set apart keep theirs.",
    )
    note = serializers.CharField(max_length=20000, required=False, allow_blank=True, trim_whitespace=False)


class ModerationIn(RefusesControlCharacters, serializers.Serializer):
    decision = serializers.ChoiceField(
        choices=list(Decision.CHOICES),
        error_messages={
            "invalid_choice": f'Unknown decision "{{input}}": use {", ".join(Decision.CHOICES[:-1])} or '
            f"{Decision.CHOICES[-1]}."
        },
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

    def get_fields(self):
        # ModelSerializer reads the model's fields for every instance; an output shape never changes, so it is
        # built once per class and copied, as DRF copies a plain Serializer's declared fields.
        built = type(self).__dict__.get("_built_fields")
        if built is None:
            built = super().get_fields()
            type(self)._built_fields = built
        return copy.deepcopy(built)

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
            "id", "paper", "target", "pages", "statement", "speaker", "stance", "tags", "codings", "note", "note_html",
            "status",
            "version", "created_by", "created_at", "updated_at", "moderation", "deleted_at", "anchor", "actions",
        ]  # fmt: skip

    anchor = serializers.SerializerMethodField()
    pages = serializers.SerializerMethodField(help_text=PAGES_HELP)
    note_html = serializers.SerializerMethodField(help_text=NOTE_HTML_HELP)

    def get_note_html(self, claim: Claim) -> str:
        return render_markdown(claim.note)

    @extend_schema_field(TargetOut)
    def get_target(self, claim: Claim) -> dict:
        return TargetField().to_representation(claim)

    @extend_schema_field(
        serializers.ListField(child=serializers.IntegerField(), min_length=2, max_length=2, allow_null=True)
    )
    def get_pages(self, claim: Claim) -> list[int] | None:
        return claim_pages(claim)

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


class LinkIn(RefusesControlCharacters, EditsPartially, serializers.Serializer):
    """A new link (POST), or an edit of one (PATCH: its relation or rationale, and the `version` edited)."""

    # One shape for both: the edit reads it with partial=True (EditsPartially).

    create_only = ("source", "target")  # a link keeps its ends
    version = EditVersion()
    source = serializers.UUIDField()
    target = serializers.UUIDField()
    relation = serializers.ChoiceField(
        choices=Link.Relation.choices,
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
