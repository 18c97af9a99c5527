"""API permissions by role; the rules themselves are in annotations.roles."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from .. import roles


class AnnotatorOrReadOnly(BasePermission):
    message = "Only analysts and moderators can write; readers can only read."

    def has_permission(self, request, view) -> bool:
        if not roles.can_read(request.user):
            return False
        return request.method in SAFE_METHODS or roles.can_annotate(request.user)


class ModeratorOrReadOnly(BasePermission):
    message = "Only moderators can change this."

    def has_permission(self, request, view) -> bool:
        if not roles.can_read(request.user):
            return False
        return request.method in SAFE_METHODS or roles.can_moderate(request.user)


class Moderator(BasePermission):
    message = "Only moderators can approve or reject."

    def has_permission(self, request, view) -> bool:
        return roles.can_moderate(request.user)


class ModeratorToRestore(Moderator):
    message = "Only moderators can restore deleted items."


class Reviser(BasePermission):
    """Revising texts and placing claims by hand (issue 7): moderators only."""

    message = "Only moderators can revise a paper's text, see a revision's details or place a claim by hand."

    def has_permission(self, request, view) -> bool:
        return roles.can_moderate(request.user)
