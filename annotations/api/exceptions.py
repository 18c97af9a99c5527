"""Turn domain errors into the contract's responses: 400 {field: [msg]}, 403/404 {detail}, 409 with the version
or with the existing claim."""

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from ..errors import DuplicateClaim, StaleVersion


def exception_handler(exc, context):
    if isinstance(exc, DuplicateClaim):
        detail = " ".join(exc.messages)
        return Response({"detail": detail, "existing": str(exc.existing)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, StaleVersion):
        return Response({"detail": str(exc), "current_version": exc.current}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail=detail)
    elif isinstance(exc, ObjectDoesNotExist):
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)
