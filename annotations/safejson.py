"""JSON read so that nothing in it fails later: the one hardened reader (API bodies, import files, the shell).

Python's decoder lets through what no database or response can hold: JSON nested too deeply makes it raise
RecursionError; a `\\u0000` escape gives a NUL that PostgreSQL refuses to store or even compare; a lone
surrogate escape (`\\ud800`) gives a string that cannot be encoded back to UTF-8; an overlong number raises
ValueError; NaN and Infinity are not JSON. Each would be a 500 somewhere later; here it is an error that says
what and where.
"""

import json
from typing import Any


class UnsafeJSON(ValueError):
    """The text is not JSON this application can hold; `path` is where (empty: the document as a whole)."""

    def __init__(self, message: str, path: str = ""):
        super().__init__(message)
        self.path = path


def unstorable_text(value: Any, path: str = "") -> str | None:
    """The path of the first string (key or value) in `value` that holds a NUL or a lone surrogate, if any."""
    stack = [(value, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            if "\x00" in item or (not item.isascii() and not _encodable(item)):
                return where
        elif isinstance(item, dict):
            for key, child in item.items():
                if not isinstance(key, str) or "\x00" in key or not _encodable(key):
                    return where
                stack.append((child, f"{where}.{key}" if where else key))
        elif isinstance(item, list):
            stack.extend((child, f"{where}[{index}]") for index, child in enumerate(item))
    return None


def unstorable_message(where: str) -> str:
    return (
        "Text may not contain NUL characters (\\u0000) or lone surrogates (\\ud800-\\udfff), "
        f"as {where or 'the document'} does."
    )


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON value")


def loads(text: str) -> Any:
    """`text` decoded as JSON, or UnsafeJSON saying why it cannot be used (and where, for text)."""
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except RecursionError as error:
        raise UnsafeJSON("The document is nested too deeply.") from error
    except ValueError as error:  # JSONDecodeError, an overlong number, NaN or Infinity
        raise UnsafeJSON(f"The body is not JSON: {error}.") from error
    where = unstorable_text(data)
    if where is not None:
        raise UnsafeJSON(unstorable_message(where), path=where)
    return data
