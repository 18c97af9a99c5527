"""Fields and small shapes the API's serializers share: references by slug, targets, anchors, codings."""

import functools
import re

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty
from rest_framework.utils import html

from ... import codings, selectors
from ...models import Claim, Link, Stance, Tag
from ...textrules import control_character_problem, refuse_control_characters

__all__ = [
    "ACTIONS_HELP",
    "NOTE_HTML_HELP",
    "RATIONALE_HTML_HELP",
    "RELATIONS",
    "SLUG",
    "STANCES",
    "TAGS_HELP",
    "AnchorOut",
    "BlankIsGiven",
    "CodingOut",
    "CodingsField",
    "EditVersion",
    "EditsPartially",
    "RefusesControlCharacters",
    "SlugRef",
    "TargetField",
    "TargetIn",
    "TargetOut",
    "stance_field_errors",
    "unknown",
]

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


class EditVersion(serializers.IntegerField):
    """The version an edit was made on: required even in a partial (PATCH) input, where DRF skips what is missing."""

    def __init__(self, **kwargs):
        super().__init__(min_value=1, **kwargs)

    def validate_empty_values(self, data):
        if data is empty and self.required:
            self.fail("required")
        return super().validate_empty_values(data)


class EditsPartially:
    """One input serializer per entity: as declared for a create; with `partial=True` for an edit (PATCH), which
    takes the fields given, needs `version`, and ignores the `create_only` fields (as it ignores unknown ones).
    A create ignores `version`."""

    create_only: tuple[str, ...] = ()

    def get_fields(self):
        fields = super().get_fields()
        for name in self.create_only if self.partial else ("version",):
            del fields[name]
        if self.partial:  # DRF gives no defaults to a partial input; the schema should not show them either
            for field in fields.values():
                field.default = empty
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
    start = serializers.IntegerField(help_text="Where the quote starts in the paper's text, in code points.")
    end = serializers.IntegerField(help_text="Where it ends (exclusive), in code points.")
    exact = serializers.CharField(help_text="The quoted words.")
    prefix = serializers.CharField(help_text="Up to 32 code points before them.")
    suffix = serializers.CharField(help_text="Up to 32 code points after them.")


# How a claim came to stand where it is (re-anchoring by paper revisions).
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
                    keys = ", ".join(sorted(map(str, extra)))
                    errors.append(self.error_messages["unknown_keys"].format(position=position, keys=keys))
                    continue
                slug, stance = item.get("tag"), item.get("stance")
            else:
                slug, stance = item, None
            if not isinstance(slug, str):
                errors.append(self.error_messages["bad_item"].format(position=position))
                continue
            given.append((slug, stance))
        # The stances, repeats and unknown tags by the domain's one check (every problem at once), among the tags
        # of the project's codebook; for a new claim, whose paper (and so project) the serializer has not read
        # yet, among the user's projects' tags (each slug's candidates), picked once the paper is known (`pick`).
        project = self.context.get("project")
        if project is not None:
            find = functools.partial(selectors.tags_by_slug, project=project)
        else:
            find = functools.partial(selectors.tag_candidates_by_slug, project_ids=self.context.get("project_ids"))
        try:
            tags = codings.checked(given, find)
        except DjangoValidationError as error:
            errors += error.messages
        if errors:
            raise serializers.ValidationError(errors)
        return tags

    def pick(self, given: list[tuple[list[Tag], str | None]], project_id: int) -> list[tuple[Tag, str | None]]:
        """Of the candidates `to_internal_value` found without a project, the tags of `project_id`'s codebook;
        a slug only other projects hold is unknown here."""
        picked, errors = [], []
        for candidates, stance in given:
            mine = [tag for tag in candidates if tag.project_id == project_id]
            if mine:
                picked.append((mine[0], stance))
            else:
                errors.append(self.error_messages["unknown_tag"].format(value=candidates[0].slug))
        if errors:
            raise serializers.ValidationError(errors)
        return picked

    def to_representation(self, value):
        return value


TAGS_HELP = (
    'Tag slugs, or {"tag": slug, "stance": affirms|denies|qualifies} objects, or both. A tag without a stance '
    "takes the claim's stance (on an edit: keeps the one it has, if the claim had the tag)."
)


class BlankIsGiven(serializers.CharField):
    """In a form body an empty value is a value, refused as blank, not a missing one that takes the default."""

    def get_value(self, dictionary):
        if html.is_html_input(dictionary) and dictionary.get(self.field_name) == "":
            return ""
        return super().get_value(dictionary)
