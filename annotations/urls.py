from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "annotations"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="annotations:papers", permanent=False), name="home"),
    path("papers/", views.papers, name="papers"),
    path("papers/<slug:slug>/", views.reader, name="reader"),
    path("map/", views.argument_map, name="map"),
    path("compare/", views.compare, name="compare"),
]
