"""The codebook in and out: tags (with their status and who proposed them), merges, rejections and history."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ...models import HistoryAction, Tag, TagStatus, colour_validator
from .fields import BlankIsGiven, RefusesControlCharacters, SlugRef, unknown

__all__ = ["MergeIn", "MergeReportOut", "RejectIn", "TagHistoryOut", "TagSerializer"]


@extend_schema_field(OpenApiTypes.STR)
class ProjectTagRef(SlugRef):
    """A tag of the request's project, by slug (slugs are unique within a project only)."""

    def get_queryset(self):
        project = self.context.get("project")
        return Tag.objects.filter(project=project) if project is not None else Tag.objects.none()


class TagSerializer(RefusesControlCharacters, serializers.ModelSerializer):
    """The codebook entry; `parent` is given and shown by slug. `propose: true` (analysts must say it) makes a
    proposed tag, usable at once by its proposer and accepted, merged or rejected by a moderator."""

    colour = BlankIsGiven(
        max_length=7, required=False, default="#888888", validators=[colour_validator], help_text="#rrggbb"
    )
    parent = ProjectTagRef(slug_field="slug", required=False, allow_null=True, error_messages=unknown("parent tag"))
    status = serializers.ChoiceField(choices=TagStatus.choices, read_only=True)
    proposed_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    propose = serializers.BooleanField(
        write_only=True, required=False, default=False,
        help_text="Propose the tag (analysts: required; moderators: optional, otherwise the tag is accepted).",
    )  # fmt: skip

    class Meta:
        model = Tag
        fields = ["slug", "name", "description", "colour", "parent", "status", "proposed_by", "propose"]


class MergeIn(serializers.Serializer):
    into = ProjectTagRef(slug_field="slug", error_messages=unknown("tag"), help_text="The tag to keep.")


class RejectIn(serializers.Serializer):
    into = ProjectTagRef(
        slug_field="slug", required=False, allow_null=True, error_messages=unknown("tag"),
        help_text="Required when the proposal is already in use: its codings move to this tag.",
    )  # fmt: skip
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300)


class MergeReportOut(serializers.Serializer):
    codings_moved = serializers.IntegerField()
    codings_dropped = serializers.IntegerField(help_text="Claims that already had the kept tag kept that coding.")
    children_moved = serializers.IntegerField()
    claims = serializers.ListField(child=serializers.UUIDField(), help_text="The claims whose codings changed.")
    stance_conflicts = serializers.ListField(
        child=serializers.UUIDField(),
        help_text="Claims that had both tags with different stances: they keep their stance on the kept tag.",
    )


class TagHistoryOut(serializers.Serializer):
    tag = serializers.CharField(help_text="The tag's slug at that time.")
    at = serializers.DateTimeField()
    by = serializers.CharField(allow_null=True)
    action = serializers.ChoiceField(choices=HistoryAction.choices)
    changes = serializers.DictField(help_text="{field: {from, to}}")
    reason = serializers.CharField(allow_blank=True)
