"""API permissions by role; the rules themselves are in annotations.roles."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from .. import roles


class HasRole(BasePermission):
    """The default for every endpoint: signed in (else 401) and in a role (else 403). The classes below narrow it,
    and refuse an account in no role with this message rather than their own."""

    message = roles.NO_ROLE_MESSAGE

    def has_permission(self, request, view) -> bool:
        if not roles.can_read(request.user):
            self.message = roles.NO_ROLE_MESSAGE
            return False
        return self.allows(request)

    def allows(self, request) -> bool:
        return True


class AnnotatorOrReadOnly(HasRole):
    message = "Only analysts and moderators can write; readers can only read."

    def allows(self, request) -> bool:
        return request.method in SAFE_METHODS or roles.can_annotate(request.user)


class ModeratorOrReadOnly(HasRole):
    message = "Only moderators can change this."

    def allows(self, request) -> bool:
        return request.method in SAFE_METHODS or roles.can_moderate(request.user)


class Moderator(HasRole):
    message = "Only moderators can approve or reject."

    def allows(self, request) -> bool:
        return roles.can_moderate(request.user)

    @classmethod
    def saying(cls, message: str) -> type["Moderator"]:
        """The same rule, refused with `message` (what the refused request wanted to do)."""
        return type(cls.__name__, (cls,), {"message": message})


ModeratorToRestore = Moderator.saying("Only moderators can restore deleted items.")
# Revising texts and placing claims by hand: moderators only.
Reviser = Moderator.saying(
    "Only moderators can revise a paper's text, see a revision's details or place a claim by hand."
)
