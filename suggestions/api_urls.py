"""/api/v1/ routes of suggestions; included before the annotations API, whose routers would take
`links/suggestions/` for a link's id."""

from django.urls import path

from . import api

urlpatterns = [
    path("claims/<uuid:pk>/suggestions/", api.ClaimSuggestionsView.as_view(), name="claim-suggestions"),
    path(
        "claims/<uuid:pk>/suggestions/accept/", api.ClaimSuggestionAcceptView.as_view(), name="claim-suggestion-accept"
    ),
    path(
        "claims/<uuid:pk>/suggestions/reject/", api.ClaimSuggestionRejectView.as_view(), name="claim-suggestion-reject"
    ),
    path("links/suggestions/", api.LinkSuggestionsView.as_view(), name="link-suggestions"),
    path("links/suggestions/accept/", api.LinkSuggestionAcceptView.as_view(), name="link-suggestion-accept"),
    path("links/suggestions/reject/", api.LinkSuggestionRejectView.as_view(), name="link-suggestion-reject"),
]
