from django.urls import include, path, re_path
from rest_framework.routers import DefaultRouter

from . import codebook, discourse, exchange, qda, views

router = DefaultRouter()
router.register("papers", views.PaperViewSet, basename="paper")
router.register("authors", views.AuthorViewSet, basename="author")
# --- codebook (tags per project, the codebook as a file) ---
router.register("tags", codebook.TagViewSet, basename="tag")
# --- end codebook ---
router.register("claims", views.ClaimViewSet, basename="claim")
router.register("links", views.LinkViewSet, basename="link")

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="api-token"),
    path("export/claims.json", exchange.NativeExport.as_view(), name="export-native"),
    path("export/w3c.jsonld", exchange.W3CExport.as_view(), name="export-w3c"),
    path("export/aif.json", exchange.AifExport.as_view(), name="export-aif"),
    path("export/graph.graphml", exchange.GraphmlExport.as_view(), name="export-graphml"),
    path("export/claims.csv", exchange.CsvExport.as_view(), name="export-csv"),
    path("export/project.qdpx", qda.QdpxExport.as_view(), name="export-qdpx"),
    path("export/codebook.qdc", qda.CodebookExport.as_view(), name="export-qdc"),
    path("export/datapackage.zip", qda.DatapackageExport.as_view(), name="export-datapackage"),
    path("export/links.csv", qda.LinksCsvExport.as_view(), name="export-links-csv"),
    path("export/tables/<str:table>.csv", qda.TableExport.as_view(), name="export-table-csv"),
    path("import/", exchange.ImportView.as_view(), name="import"),
    path("map/", discourse.MapView.as_view(), name="api-map"),
    path("compare/", discourse.CompareView.as_view(), name="api-compare"),
    re_path(
        r"^export/network/(?P<kind>[^/.]+)\.(?P<fmt>[^/.]+)$",
        discourse.NetworkExportView.as_view(),
        name="api-export-network",
    ),
    # --- codebook ---
    path("projects/<slug:slug>/codebook/", codebook.CodebookView.as_view(), name="project-codebook"),
    path(
        "projects/<slug:slug>/codebook/history/",
        codebook.CodebookHistoryView.as_view(),
        name="project-codebook-history",
    ),
    # --- end codebook ---
    path("", include(router.urls)),
]
