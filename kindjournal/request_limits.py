"""Request bodies are refused by their declared size, before anything reads them.

Django reads a body only up to its Content-Length (a body sent without one is read as empty),
so refusing on that header keeps a 300 MB POST from being read into memory or spooled to /tmp:
CSRF checks, forms and uploads all run after this. Project-level: it knows the import's URL.
"""

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
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0  # Django reads such a body as empty


def refuse_large_bodies(get_response):
    def middleware(request):
        limit = body_limit(request)
        if declared_length(request) > limit:
            context = {"limit": filesizeformat(limit), "title": "Too much at once"}
            response = render(request, "request_too_large.html", context, status=413)
            # The client is still sending: tell it the connection will not take the rest.
            response["Connection"] = "close"
            return response
        return get_response(request)

    return middleware
