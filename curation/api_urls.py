from django.urls import path

from . import api

urlpatterns = [
    path("papers/<slug:slug>/curation/", api.CurationBoard.as_view(), name="api-curation"),
    path("papers/<slug:slug>/curation/accept/", api.Accept.as_view(), name="api-curation-accept"),
    path("papers/<slug:slug>/curation/merge/", api.Merge.as_view(), name="api-curation-merge"),
    path("papers/<slug:slug>/curation/edit/", api.Edit.as_view(), name="api-curation-edit"),
    path("papers/<slug:slug>/curation/reject/", api.Reject.as_view(), name="api-curation-reject"),
]
