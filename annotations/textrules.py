"""The one rule for characters in stored text: no control characters but tab, line feed and carriage return.

C0 control characters (U+0000-U+001F) other than those three have no place in a statement, a name or a
paper, and XML 1.0 cannot carry them at all: every XML export would have to drop them. Input refuses them
everywhere (API serializers, services, import, load_corpus), each surface naming the field. A carriage
return stays allowed because stored texts keep a bare one (only CRLF becomes LF).
"""

import re
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError

CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def control_character_problem(value: Any) -> str | None:
    """Why `value` cannot be stored, if it is a string holding a refused control character; else None."""
    if not isinstance(value, str):
        return None
    found = CONTROL_CHARACTERS.search(value)
    if found is None:
        return None
    return (
        f"Control characters are not allowed (U+{ord(found.group()):04X} at position {found.start()}); "
        "only tab, line feed and carriage return are."
    )


def refuse_control_characters(value: Any) -> None:
    """A validator (Django forms, DRF fields, model fields): raises ValidationError on a refused character."""
    problem = control_character_problem(value)
    if problem is not None:
        raise ValidationError(problem, code="control_characters")


def check_fields(values: Mapping[str, Any]) -> None:
    """Refuse, naming each field, the string values of `values` that hold a refused character."""
    problems = {name: [problem] for name, value in values.items() if (problem := control_character_problem(value))}
    if problems:
        raise ValidationError(problems)
