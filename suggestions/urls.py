from django.urls import path

from . import views

app_name = "suggestions"

urlpatterns = [
    path("links/", views.link_queue, name="links"),
    path("links/judge/", views.link_queue_judge, name="links-judge"),
]
