from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("<slug:slug>/", views.project_home, name="home"),
    path("<slug:slug>/members/", views.project_members, name="members"),
    path("<slug:slug>/members/<str:username>/role/", views.member_role, name="member-role"),
    path("<slug:slug>/members/<str:username>/remove/", views.member_remove, name="member-remove"),
    path("<slug:slug>/settings/", views.project_settings, name="settings"),
    path("<slug:slug>/settings/archive/", views.project_archive, name="archive"),
]
