"""The body of POST import/: JSON, or the bytes of a REFI-QDA file (multipart field `file`, or the raw body).

Read here, under the import's own size limit: request.body would stop at DATA_UPLOAD_MAX_MEMORY_SIZE with a
bare 400.
"""

from typing import Any

from django.http.multipartparser import MultiPartParserError
from rest_framework import status
from rest_framework.response import Response

from .. import safejson

QDPX_TYPE = "application/vnd.refi-qda.qdpx+zip"  # no registered type; tools go by the .qdpx name


def _bad(path: str, message: str) -> Response:
    return Response({path: [message]}, status=status.HTTP_400_BAD_REQUEST)


def is_binary_exchange_file(raw: bytes) -> bool:
    """A zip (.qdpx) or XML (.qdc) rather than JSON."""
    head = raw.lstrip()[:5]
    return raw[:4] == b"PK\x03\x04" or head.startswith(b"<") or raw.startswith(b"\xef\xbb\xbf<")


def import_document(request, limit: int) -> Any:
    """Parsed JSON, or the bytes of a .qdpx / .qdc; a 400 Response when the body is neither. The caller has
    checked Content-Length against `limit`; the bytes read are checked again (a body may lie about it)."""
    if (request.content_type or "").startswith("multipart/form-data"):
        try:
            upload = request._request.FILES.get("file")
        except MultiPartParserError as error:
            return _bad("file", f"The multipart body cannot be read: {error}.")
        if upload is None:
            return _bad("file", "Send the file as the multipart field `file`.")
        raw = upload.read(limit + 1)
    else:
        raw = request.stream.read(limit + 1) if request.stream is not None else b""
    if len(raw) > limit:
        return Response(
            {"detail": f"The file is too large to import here (the limit is {limit // (1024 * 1024)} MB)."},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if is_binary_exchange_file(raw):
        return raw
    try:
        return safejson.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        return _bad("", f"The body is not JSON, nor a .qdpx (zip) or .qdc (XML): {error}.")
    except safejson.UnsafeJSON as error:
        return _bad(error.path, str(error))
