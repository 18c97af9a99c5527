"""DRF's JSON parser, also refusing what Python's decoder lets through but no database or response can hold
(the rules of annotations.safejson).

JSON nested too deeply makes the decoder raise RecursionError; a `\\u0000` escape gives a NUL that PostgreSQL
refuses to store or even compare; a lone surrogate escape (`\\ud800`) gives a string that cannot be encoded
back to UTF-8. Each would be a 500 somewhere later; here it is a 400 that says what and where.
"""

from django.conf import settings
from rest_framework import parsers
from rest_framework.exceptions import APIException, ParseError

from ..safejson import unstorable_text


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type=media_type, parser_context=parser_context)
        except RecursionError as error:
            raise ParseError("JSON parse error - the document is nested too deeply.") from error
        where = unstorable_text(data, "")
        if where is not None:
            raise ParseError(
                f"JSON parse error - text may not contain NUL characters (\\u0000) or lone surrogates "
                f"(\\ud800-\\udfff), as {where or 'the document'} does."
            )
        return data


class ImportTooLarge(APIException):
    status_code = 413
    default_code = "too_large"


def import_limit_text(limit: int) -> str:
    mib = 1024 * 1024
    return f"{limit // mib} MiB" if limit >= mib and limit % mib == 0 else f"{limit} bytes"


class ImportBodyParser(parsers.BaseParser):
    """The import's body, whatever its declared type, as bytes read up to IMPORT_MAX_SIZE (413 beyond).

    A parser rather than a read in the view, because a session-authenticated POST has its CSRF check read
    `request.POST`, which parses the body: without a parser that accepts it, that check answered 415."""

    media_type = "*/*"

    def parse(self, stream, media_type=None, parser_context=None) -> bytes:
        limit = settings.IMPORT_MAX_SIZE
        too_large = ImportTooLarge(
            f"The file is too large to import here (the limit is {import_limit_text(limit)}); "
            "use manage.py import_claims."
        )
        request = (parser_context or {}).get("request")
        declared = request.META.get("CONTENT_LENGTH") if request is not None else None
        if declared and declared.isdigit() and int(declared) > limit:
            raise too_large
        raw = stream.read(limit + 1)
        if len(raw) > limit:
            raise too_large
        return raw
