from django.urls import path
from django.views.generic import RedirectView

from . import paper_edit, views, views_codebook, views_upload

app_name = "annotations"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="annotations:papers", permanent=False), name="home"),
    path("papers/", views.papers, name="papers"),
    path("papers/<slug:slug>/", views.reader, name="reader"),
    path("moderation/", views.moderation, name="moderation"),
    path("moderation/claims/<uuid:pk>/", views.moderation_decide, {"kind": "claims"}, name="moderation-claim"),
    path("moderation/links/<uuid:pk>/", views.moderation_decide, {"kind": "links"}, name="moderation-link"),
    path("claims/<uuid:pk>/history/", views.claim_history, name="claim-history"),
    path("links/<uuid:pk>/history/", views.link_history, name="link-history"),
    path("papers/<slug:slug>/text/", views.reader_text, name="reader-text"),
    path("map/", views.argument_map, name="map"),
    path("compare/", views.compare, name="compare"),
    # --- codebook ---
    path("projects/<slug:slug>/codebook/", views_codebook.codebook, name="codebook"),
    path("papers/<slug:slug>/codebook/", views_codebook.paper_codebook, name="paper-codebook"),
    # --- end codebook ---
]

# Papers from the browser: a project's upload page (the API does the work: /api/v1/papers/extract/ and papers/).
urlpatterns += [
    path("projects/<slug:project>/papers/new/", views_upload.paper_new, name="paper-new"),
    # Paper metadata edited by the moderators of its project.
    path("papers/<slug:slug>/edit/", paper_edit.paper_edit, name="paper-edit"),
]
