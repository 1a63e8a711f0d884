"""Request bodies are refused by their declared size, before anything reads them.

Django reads a body only up to its Content-Length (a body sent without one is read as empty),
so refusing on that header keeps a 300 MB POST from being read into memory or spooled to /tmp:
CSRF checks, forms and uploads all run after this. A Content-Length that is not a number gets a
400 here too: Django's own parse of it (int(), for request.POST) would raise a 500, and a
negative one reads as nothing. Project-level: it knows the import's URL.

The refusal does not ask for the connection to be closed: `Connection` is a hop-by-hop header,
which a WSGI application may not send. The server closes it: gunicorn's sync workers (`make
serve`) close every connection after its response, and runserver's WSGI server answers a 500
instead of any response that carries such a header.
"""

import math

from django.conf import settings
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse


def body_limit(request):
    """The largest body, in bytes, a request to this path may send."""
    if request.path_info.startswith(reverse("imports:upload")):
        return settings.IMPORT_REQUEST_BODY_MAX_BYTES
    return settings.REQUEST_BODY_MAX_BYTES


def declared_length(request):
    """The body's length as its Content-Length header says it (0 without one), or None if the
    header is not a whole number of bytes (HTTP allows the digits 0-9 only)."""
    value = request.META.get("CONTENT_LENGTH", "").strip()
    if not value:
        return 0
    if not (value.isascii() and value.isdigit()):
        return None
    # More digits than any body could have is simply too large (int() refuses over 4,300).
    return int(value) if len(value) <= 18 else math.inf


def refuse_large_bodies(get_response):
    def middleware(request):
        length, limit = declared_length(request), body_limit(request)
        if length is None:
            return render(request, "request_length_unreadable.html", status=400)
        if length > limit:
            context = {"limit": filesizeformat(limit), "title": "Too much at once"}
            return render(request, "request_too_large.html", context, status=413)
        return get_response(request)

    return middleware
