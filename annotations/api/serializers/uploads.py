"""A paper uploaded as a file (multipart): what it takes, and what the extract-only step answers."""

import json

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ...models import Author, Paper
from .fields import RefusesControlCharacters

__all__ = ["AuthorSpecIn", "DuplicatePaperOut", "ExtractIn", "ExtractOut", "PaperUploadIn"]

FILE_HELP = "The file: .pdf, .docx, .html, .md or .txt, checked by its content (DJANGO_UPLOAD_MAX_SIZE bytes at most)."


class AuthorSpecIn(RefusesControlCharacters, serializers.Serializer):
    name = serializers.CharField(max_length=Author._meta.get_field("name").max_length)
    affiliation = serializers.CharField(
        max_length=Author._meta.get_field("affiliation").max_length, required=False, allow_blank=True, default=""
    )
    country = serializers.CharField(
        max_length=Author._meta.get_field("country").max_length, required=False, allow_blank=True, default=""
    )


@extend_schema_field(AuthorSpecIn(many=True))
class AuthorsJsonField(serializers.Field):
    """A JSON list of {"name", "affiliation", "country"} given as one form field (multipart cannot nest)."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            try:
                data = json.loads(data) if data.strip() else []
            except json.JSONDecodeError as error:
                raise serializers.ValidationError(f"Not JSON ({error.msg}): give a list of objects.") from error
        if not isinstance(data, list):
            raise serializers.ValidationError('Give a JSON list of {"name", "affiliation", "country"}.')
        authors = AuthorSpecIn(data=data, many=True)
        authors.is_valid(raise_exception=True)
        return authors.validated_data


@extend_schema_field({"type": "string", "description": "A form field, or a file part holding UTF-8 text."})
class TextPartField(serializers.Field):
    """The reviewed text: a form field, or a file part (the upload page sends it so, as a long text would
    pass the form fields' limit, DATA_UPLOAD_MAX_MEMORY_SIZE); UTF-8."""

    def to_internal_value(self, data):
        if hasattr(data, "read"):
            try:
                return data.read().decode("utf-8")
            except UnicodeDecodeError as error:
                raise serializers.ValidationError("The text is not UTF-8.") from error
        if not isinstance(data, str):
            raise serializers.ValidationError("Give the text as a string.")
        return data


class ExtractIn(serializers.Serializer):
    file = serializers.FileField(help_text=FILE_HELP, allow_empty_file=True)
    project = serializers.CharField(
        required=False, allow_blank=True, help_text="The project's slug (default project if empty)."
    )


class PaperUploadIn(RefusesControlCharacters, ExtractIn):
    slug = serializers.CharField(max_length=100, required=False, allow_blank=True, default="",
                                 help_text="Optional: made from the title (with -2, -3... if taken).")  # fmt: skip
    title = serializers.CharField(max_length=Paper._meta.get_field("title").max_length)
    authors = AuthorsJsonField(required=False, default=list)
    year = serializers.IntegerField(min_value=1, max_value=9999, required=False, allow_null=True, default=None)
    venue = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    doi = serializers.CharField(max_length=200, required=False, allow_blank=True, allow_null=True, default=None)
    url = serializers.CharField(max_length=500, required=False, allow_blank=True, allow_null=True, default=None)
    language = serializers.CharField(max_length=35, required=False, allow_blank=True, default="")
    text = TextPartField(
        required=False,
        default=None,
        help_text="Optional: the reviewed (corrected) text, as a field or a file part; the extracted text if absent.",
    )

    def to_internal_value(self, data):
        # Blank optional numbers from a form mean "unknown".
        if hasattr(data, "dict") and data.get("year", None) == "":
            data = data.copy()
            data.pop("year")
        return super().to_internal_value(data)


class ExtractOut(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["pdf", "docx", "html", "md", "txt"], help_text="What the content is.")
    text = serializers.CharField(help_text="The text as it would be stored.")
    length = serializers.IntegerField(help_text="Length in code points.")
    pages = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField(), min_length=2, max_length=2),
        help_text="[start, end) code points of each page (PDF); empty for texts without pages.",
    )
    text_sha256 = serializers.CharField()
    existing = serializers.CharField(
        allow_null=True, help_text="The slug of a paper of the project with this very text, if there is one."
    )


class DuplicatePaperOut(serializers.Serializer):
    """409: the project already holds this very text."""

    detail = serializers.CharField()
    file = serializers.ListField(child=serializers.CharField())
    existing = serializers.CharField(help_text="The slug of the paper that holds this text.")
    url = serializers.CharField(help_text="The reader's address of that paper.")
