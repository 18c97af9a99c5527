from django.urls import include, path

from . import agreement_page, views

app_name = "rounds"

# One project's rounds pages, below its slug (the app is included under projects/).
project = [
    path("rounds/", views.round_page, name="page"),
    path("agreement/", agreement_page.agreement_page, name="agreement"),
    path("rounds/open/", views.round_open, name="open"),
    path("rounds/<int:round_id>/close/", views.round_close, name="close"),
    path("rounds/<int:round_id>/assign/", views.assignment_add, name="assign"),
    path("assignments/<int:assignment_id>/remove/", views.assignment_remove, name="unassign"),
    path("assignments/<int:assignment_id>/mark/", views.assignment_mark, name="mark"),
]

urlpatterns = [path("<slug:slug>/", include(project))]
