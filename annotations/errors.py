"""Domain errors that services raise and every surface (API, admin, commands) turns into messages."""

from django.core.exceptions import PermissionDenied, ValidationError

__all__ = ["DuplicateClaim", "DuplicatePaper", "PermissionDenied", "StaleVersion", "ValidationError", "error_detail"]


class StaleVersion(Exception):
    """The item changed since the client read it; nothing was written."""

    def __init__(self, current: int):
        super().__init__(f"This item was changed by someone else (now at version {current}); reload it and try again.")
        self.current = current


class DuplicateClaim(ValidationError):
    """The analyst already holds a live claim on these words of this paper with this speaker; nothing was written.

    A ValidationError, so that every surface that shows refusals shows this one; the API answers 409 with the
    existing claim's id."""

    def __init__(self, existing):
        self.existing = existing
        super().__init__(
            {
                "non_field_errors": [
                    f"You already marked these words of this paper with this speaker: claim {existing}. "
                    "Edit that claim instead."
                ]
            }
        )


class DuplicatePaper(ValidationError):
    """The project already holds a paper with this very text (by its SHA-256); nothing was written. The API
    answers 409 with the existing paper's slug and the reader's address."""

    def __init__(self, existing_slug: str):
        self.existing = existing_slug
        self.url = f"/papers/{existing_slug}/"
        message = f"This text is already in the project as paper {existing_slug!r} ({self.url}); nothing was saved."
        super().__init__({"file": [message]})


def error_detail(error: ValidationError) -> dict[str, list[str]]:
    """The one shape of a refusal on every surface (the API's 400, the pages' JSON answers, the commands'
    messages): each field with its messages, and what concerns no one field under `non_field_errors`."""
    if hasattr(error, "error_dict"):
        return error.message_dict
    return {"non_field_errors": error.messages}
