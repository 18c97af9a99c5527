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
]
