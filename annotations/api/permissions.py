"""API permissions by role; the rules themselves are in annotations.roles.

Before the object is known (a list, a create), a request passes if the user holds the role in some project; the
object's own project decides once it is known (DRF's object permissions), and the services check the project of
what they write."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from .. import roles


class HasRole(BasePermission):
    """The default for every endpoint: signed in (else 401) and in a project (else 403). The classes below narrow
    it, and refuse an account in no project with this message rather than their own."""

    message = roles.NO_ROLE_MESSAGE

    def has_permission(self, request, view) -> bool:
        if not roles.in_any_project(request.user):
            self.message = roles.NO_ROLE_MESSAGE
            return False
        return self.allows(request, None)

    def has_object_permission(self, request, view, obj) -> bool:
        return self.allows(request, obj)

    def allows(self, request, where) -> bool:
        """Whether the request may go on: `where` is the object (its project decides), or None before it is known."""
        return True


def _annotates(user, where) -> bool:
    return roles.annotates_somewhere(user) if where is None else roles.can_annotate(user, where)


def _moderates(user, where) -> bool:
    return roles.moderates_somewhere(user) if where is None else roles.can_moderate(user, where)


class AnnotatorOrReadOnly(HasRole):
    message = "Only analysts and moderators can write; readers can only read."

    def allows(self, request, where) -> bool:
        return request.method in SAFE_METHODS or _annotates(request.user, where)


class ModeratorOrReadOnly(HasRole):
    message = "Only moderators can change this."

    def allows(self, request, where) -> bool:
        return request.method in SAFE_METHODS or _moderates(request.user, where)


class Moderator(HasRole):
    message = "Only moderators can approve or reject."

    def allows(self, request, where) -> bool:
        return _moderates(request.user, where)

    @classmethod
    def saying(cls, message: str) -> type["Moderator"]:
        """The same rule, refused with `message` (what the refused request wanted to do)."""
        return type(cls.__name__, (cls,), {"message": message})


ModeratorToRestore = Moderator.saying("Only moderators can restore deleted items.")
# Revising texts and placing claims by hand: moderators only.
Reviser = Moderator.saying(
    "Only moderators can revise a paper's text, see a revision's details or place a claim by hand."
)
