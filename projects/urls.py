from django.urls import include, path

from . import views

app_name = "projects"

# One project's pages, below its slug.
project = [
    path("", views.project_home, name="home"),
    path("members/", views.project_members, name="members"),
    path("members/<str:username>/role/", views.member_role, name="member-role"),
    path("members/<str:username>/remove/", views.member_remove, name="member-remove"),
    path("settings/", views.project_settings, name="settings"),
    path("settings/archive/", views.project_archive, name="archive"),
]

urlpatterns = [
    path("", views.project_list, name="list"),
    path("<slug:slug>/", include(project)),
]
