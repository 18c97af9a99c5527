"""The projects API under /api/v1/ (included before annotations' routes in sco_claims/urls.py)."""

from django.urls import path

from . import api

projects = api.ProjectViewSet.as_view({"get": "list", "post": "create"})
project = api.ProjectViewSet.as_view({"get": "retrieve", "patch": "partial_update"})
members = api.MemberViewSet.as_view({"get": "list", "post": "create"})
member = api.MemberViewSet.as_view({"get": "retrieve", "patch": "partial_update", "delete": "destroy"})

urlpatterns = [
    path("projects/", projects, name="api-projects"),
    path("projects/<slug:slug>/", project, name="api-project"),
    path("projects/<slug:slug>/archive/", api.ProjectViewSet.as_view({"post": "archive"}), name="api-project-archive"),
    path(
        "projects/<slug:slug>/unarchive/",
        api.ProjectViewSet.as_view({"post": "unarchive"}),
        name="api-project-unarchive",
    ),
    path("projects/<slug:slug>/history/", api.ProjectViewSet.as_view({"get": "history"}), name="api-project-history"),
    path("projects/<slug:slug>/export/", api.ProjectViewSet.as_view({"get": "export"}), name="api-project-export"),
    path("projects/<slug:project_slug>/members/", members, name="api-project-members"),
    path("projects/<slug:project_slug>/members/<str:username>/", member, name="api-project-member"),
]
