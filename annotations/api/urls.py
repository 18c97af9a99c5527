from django.urls import include, path, re_path
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from . import discourse, views

router = DefaultRouter()
router.register("papers", views.PaperViewSet, basename="paper")
router.register("authors", views.AuthorViewSet, basename="author")
router.register("tags", views.TagViewSet, basename="tag")
router.register("claims", views.ClaimViewSet, basename="claim")
router.register("links", views.LinkViewSet, basename="link")

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("map/", discourse.MapView.as_view(), name="api-map"),
    path("compare/", discourse.CompareView.as_view(), name="api-compare"),
    re_path(
        r"^export/network/(?P<kind>[^/.]+)\.(?P<fmt>[^/.]+)$",
        discourse.NetworkExportView.as_view(),
        name="api-export-network",
    ),
    path("", include(router.urls)),
]
