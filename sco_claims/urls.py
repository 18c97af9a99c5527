from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from annotations.api.docs import DocsPage, SchemaView


class FaviconRedirect(RedirectView):
    """The icon's URL is read at request time: the hashed static names exist only once collectstatic has run,
    and a URL module must import without them (migrate, check, tests)."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs):
        return static("annotations/favicon.svg")


urlpatterns = [
    path("admin/", admin.site.urls),
    # Projects and accounts (pages and API) before the routes they sit beside.
    path("accounts/", include("accounts.urls")),
    path("projects/", include("projects.urls")),
    path("projects/", include("curation.urls")),
    path("projects/", include("rounds.urls")),
    path("api/v1/", include("projects.api_urls")),
    path("api/v1/", include("curation.api_urls")),
    path("api/v1/", include("rounds.api_urls")),
    path("api/v1/", include("search.api_urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/v1/", include("suggestions.api_urls")),
    path("api/v1/", include("annotations.api.urls")),
    path("api/schema/", SchemaView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file, so the page runs under a CSP without inline script.
    path(
        "api/docs/",
        DocsPage.as_view(url_name="schema", template_name="annotations/swagger_ui.html"),
        name="api-docs",
    ),
    path("suggestions/", include("suggestions.urls")),
    path("search/", include("search.urls")),
    path("", include("annotations.urls")),
    # Pages without base.html's <link rel="icon"> (the admin, the browsable API) make browsers ask here.
    path("favicon.ico", FaviconRedirect.as_view()),
]

# Under /api/ these answer `{"detail"}` JSON (the API's error shape); elsewhere Django's own pages.
handler400 = "annotations.api.exceptions.bad_request"
handler403 = "annotations.api.exceptions.permission_denied"
handler404 = "annotations.api.exceptions.page_not_found"
handler500 = "annotations.api.exceptions.server_error"
