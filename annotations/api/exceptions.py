"""Turn domain errors into the contract's responses: 400 {field: [msg]}, 403/404 {detail}, 409 with the version
or with the existing claim."""

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from ..errors import DuplicateClaim, DuplicatePaper, StaleVersion, error_detail


def exception_handler(exc, context):
    if isinstance(exc, DuplicateClaim):
        detail = " ".join(exc.messages)
        return Response({"detail": detail, "existing": str(exc.existing)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DuplicatePaper):
        body = {**error_detail(exc), "detail": " ".join(exc.messages), "existing": exc.existing, "url": exc.url}
        return Response(body, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, StaleVersion):
        return Response({"detail": str(exc), "current_version": exc.current}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=error_detail(exc))
    elif isinstance(exc, ObjectDoesNotExist):
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)


# Django's own error views, for requests that never reach a DRF view (no route under /api/, a crash in a
# middleware): under /api/ they answer the contract's `{"detail"}` JSON, elsewhere Django's pages.


def _api_error(request, status_code: int, detail: str):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": detail}, status=status_code)
    return None


def bad_request(request, exception, template_name="400.html"):
    return _api_error(request, 400, "Bad request.") or defaults.bad_request(request, exception, template_name)


def permission_denied(request, exception, template_name="403.html"):
    detail = str(exception) if exception and str(exception) else "You do not have permission to do this."
    return _api_error(request, 403, detail) or defaults.permission_denied(request, exception, template_name)


def page_not_found(request, exception, template_name="404.html"):
    return _api_error(request, 404, "Not found.") or defaults.page_not_found(request, exception, template_name)


def server_error(request, template_name="500.html"):
    return _api_error(request, 500, "Server error.") or defaults.server_error(request, template_name)
