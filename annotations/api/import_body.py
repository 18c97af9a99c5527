"""The body of POST import/: JSON, or the bytes of a REFI-QDA file, sent as the multipart field `file` or as the
raw body (read by parsers.ImportBodyParser, under IMPORT_MAX_SIZE)."""

from typing import Any

from rest_framework import status
from rest_framework.exceptions import ParseError
from rest_framework.response import Response

from .. import safejson
from ..importing.refiqda import is_exchange_file

QDPX_TYPE = "application/vnd.refi-qda.qdpx+zip"  # no registered type; tools go by the .qdpx name


def _bad(path: str, message: str) -> Response:
    return Response({path: [message]}, status=status.HTTP_400_BAD_REQUEST)


def _uploaded(request) -> bytes | Response:
    """The multipart field `file` (parsed by DRF's MultiPartParser; the body's size is bounded by
    REQUEST_BODY_LIMITS, as for any import)."""
    try:
        upload = request.FILES.get("file")
    except ParseError as error:
        return _bad("file", f"The multipart body cannot be read: {error.detail}")
    if upload is None:
        return _bad("file", "Send the file as the multipart field `file`.")
    return upload.read()


def body_bytes(request) -> bytes | Response:
    """The file an import sends: the multipart field `file`, or the raw body; a 400 Response when the multipart
    body cannot be read or holds no `file`."""
    if (request.content_type or "").startswith("multipart/form-data"):
        return _uploaded(request)
    return request.data if isinstance(request.data, bytes) else b""


def import_document(request) -> Any:
    """Parsed JSON, or the bytes of a .qdpx / .qdc; a 400 Response when the body is neither."""
    raw = body_bytes(request)
    if isinstance(raw, Response):
        return raw
    if is_exchange_file(raw):
        return raw
    try:
        return safejson.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        return _bad("", f"The body is not JSON, nor a .qdpx (zip) or .qdc (XML): {error}.")
    except safejson.UnsafeJSON as error:
        return _bad(error.path, str(error))
