from django.urls import path

from . import agreement_page, views

app_name = "rounds"

urlpatterns = [
    path("<slug:slug>/rounds/", views.round_page, name="page"),
    path("<slug:slug>/agreement/", agreement_page.agreement_page, name="agreement"),
    path("<slug:slug>/rounds/open/", views.round_open, name="open"),
    path("<slug:slug>/rounds/<int:round_id>/close/", views.round_close, name="close"),
    path("<slug:slug>/rounds/<int:round_id>/assign/", views.assignment_add, name="assign"),
    path("<slug:slug>/assignments/<int:assignment_id>/remove/", views.assignment_remove, name="unassign"),
    path("<slug:slug>/assignments/<int:assignment_id>/mark/", views.assignment_mark, name="mark"),
]
