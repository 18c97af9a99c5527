"""Requests refused before any view sees them, and django-axes' hooks.

Bodies over the size limit get a clean 413: Django only enforces DATA_UPLOAD_MAX_MEMORY_SIZE when
`request.body` or `request.POST` is read, and DRF's parsers read the raw stream instead, so without this a JSON
body of any size would be parsed in memory. Query strings holding text no database can store get a 400 naming
the parameter, for every filter of every endpoint and page at once.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse


def body_limit_for(path: str) -> int:
    """The largest body accepted at `path`: the setting named by the longest matching prefix in
    REQUEST_BODY_LIMITS (a name, so that overriding that setting moves this limit too), else the default."""
    limits = getattr(settings, "REQUEST_BODY_LIMITS", {})
    matches = [prefix for prefix in limits if path.startswith(prefix)]
    if matches:
        return getattr(settings, limits[max(matches, key=len)])
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def too_large(request: HttpRequest, limit: int) -> HttpResponse:
    detail = f"The request body is too large (at most {limit} bytes)."
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": detail}, status=413)
    return HttpResponse(detail, status=413, content_type="text/plain; charset=utf-8")


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = body_limit_for(request.path)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit is not None and length > limit:
            return too_large(request, limit)
        return self.get_response(request)


def unstorable(text: str) -> bool:
    """Text no database can hold: NUL (PostgreSQL refuses it even in a comparison) or a lone surrogate (not UTF-8)."""
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


class QueryStringTextMiddleware:
    """`?author=%00x` is a 400 naming `author` everywhere, rather than a 500 on PostgreSQL in whichever filter
    forgot to check: one place for every query-string parameter of the API and the pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for name, values in request.GET.lists():
            if unstorable(name) or any(unstorable(value) for value in values):
                return bad_query_parameter(request, name)
        return self.get_response(request)


def bad_query_parameter(request: HttpRequest, name: str) -> HttpResponse:
    shown = name.replace("\x00", "\\u0000").encode("utf-8", "backslashreplace").decode("utf-8")
    problem = "may not contain NUL characters (\\u0000) or lone surrogates (\\ud800-\\udfff)."
    if request.path.startswith("/api/"):
        return JsonResponse({shown: [f"The query parameter {shown!r} {problem}"]}, status=400)
    return HttpResponse(
        f"The query parameter {shown!r} {problem}", status=400, content_type="text/plain; charset=utf-8"
    )


def client_ip(request: HttpRequest) -> str | None:
    """The client's address for login throttling: behind our proxy (DJANGO_BEHIND_PROXY), the address that proxy
    appended last to X-Forwarded-For, since earlier entries are whatever the client chose to send."""
    if settings.REST_FRAMEWORK.get("NUM_PROXIES"):
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR")


def lockout_response(request: HttpRequest, original_response, credentials) -> HttpResponse:
    """django-axes' answer to a locked-out login: the contract's `429 {"detail"}` for the API, a page otherwise."""
    # Imported here, not above: axes.helpers needs the app registry ready, and this module is imported while
    # Django loads (the settings name its middleware), before the registry is.
    from axes.helpers import get_cool_off
    from django.shortcuts import render

    cool_off = get_cool_off(request)
    by_address = getattr(request, "axes_locked_by_address", False)
    if request.path.startswith("/api/"):
        minutes = int(cool_off.total_seconds() // 60) if cool_off else None
        wait = f" Try again in {minutes} minutes." if minutes else ""
        what = "from your address" if by_address else "for this username from your address"
        return JsonResponse({"detail": f"Too many failed log-ins {what}.{wait}"}, status=429)
    context = {"cooloff_timedelta": cool_off, "by_address": by_address}
    return render(request, "registration/locked_out.html", context, status=429)
