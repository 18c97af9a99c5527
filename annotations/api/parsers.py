"""DRF's JSON parser, also refusing what Python's decoder lets through but no database or response can hold
(the rules of annotations.safejson).

JSON nested too deeply makes the decoder raise RecursionError; a `\\u0000` escape gives a NUL that PostgreSQL
refuses to store or even compare; a lone surrogate escape (`\\ud800`) gives a string that cannot be encoded
back to UTF-8. Each would be a 500 somewhere later; here it is a 400 that says what and where.
"""

from rest_framework import parsers
from rest_framework.exceptions import ParseError

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
