from django.urls import path

from . import views

app_name = "curation"

urlpatterns = [
    path("<slug:slug>/papers/<slug:paper>/curate/", views.curate_paper, name="paper"),
]
