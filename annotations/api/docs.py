"""The OpenAPI schema and its Swagger page: for signed-in users with a role, unless PUBLIC_API_DOCS opens them."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.exceptions import NotAuthenticated

from .permissions import HasRole


class DocsReader(HasRole):
    def has_permission(self, request, view) -> bool:
        return settings.PUBLIC_API_DOCS or super().has_permission(request, view)


class SchemaView(SpectacularAPIView):
    permission_classes = [DocsReader]

    def handle_exception(self, exc):
        # The schema's own renderers are YAML first; a refusal is the API's `{"detail"}` JSON.
        response = super().handle_exception(exc)
        refusal = JsonResponse(response.data, status=response.status_code)
        if "WWW-Authenticate" in response:
            refusal["WWW-Authenticate"] = response["WWW-Authenticate"]
        return refusal


class DocsPage(SpectacularSwaggerSplitView):
    """Swagger UI: anonymous browsers are sent to the login page, users in no role get a 403 page."""

    permission_classes = [DocsReader]

    def handle_exception(self, exc):
        if isinstance(exc, NotAuthenticated):
            return redirect_to_login(self.request.get_full_path())
        return super().handle_exception(exc)
