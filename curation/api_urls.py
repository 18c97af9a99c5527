from django.urls import include, path

from . import api

# One paper's curation board and its decisions.
board = [
    path("", api.CurationBoard.as_view(), name="api-curation"),
    path("accept/", api.Accept.as_view(), name="api-curation-accept"),
    path("merge/", api.Merge.as_view(), name="api-curation-merge"),
    path("edit/", api.Edit.as_view(), name="api-curation-edit"),
    path("reject/", api.Reject.as_view(), name="api-curation-reject"),
]

urlpatterns = [path("papers/<slug:slug>/curation/", include(board))]
