"""Domain errors that services raise and every surface (API, admin, commands) turns into messages."""

from django.core.exceptions import PermissionDenied, ValidationError

__all__ = ["PermissionDenied", "StaleVersion", "ValidationError"]


class StaleVersion(Exception):
    """The item changed since the client read it; nothing was written."""

    def __init__(self, current: int):
        super().__init__(f"This item was changed by someone else (now at version {current}); reload it and try again.")
        self.current = current
