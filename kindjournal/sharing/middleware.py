"""Headers for every response under /s/ (shared links), whatever answers: the report, the CSV,
the neutral 404, the rate limit's 429, a 405, a redirect that adds a missing trailing slash.

The person's journal must not be cached on the therapist's device or a proxy, indexed, framed,
or leak its address (the token) to another site through the Referer header.
"""

from kindjournal import cdn

SHARED_PREFIX = "/s/"
# Stricter than the app's own policy: these pages need Chart.js, Bootstrap's CSS and our own
# files, and send nothing anywhere (no forms, no fetches). `data:` images: the printable copy
# of the chart (static/js/report.js) and Bootstrap's inline SVG icons.
SHARED_POLICY = "; ".join(
    [
        "default-src 'none'",
        " ".join(["script-src 'self'", cdn.ASSETS["chartjs"].url]),
        " ".join(["style-src 'self'", *cdn.urls_of(".css")]),
        "img-src 'self' data:",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ]
)
SHARED_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
    "Cache-Control": "no-store",
    # Replaces django-csp's policy: this middleware is outside it (first in settings.MIDDLEWARE).
    "Content-Security-Policy": SHARED_POLICY,
}


def shared_page_headers(get_response):
    def middleware(request):
        response = get_response(request)
        if request.path_info.startswith(SHARED_PREFIX):
            for name, value in SHARED_HEADERS.items():
                response[name] = value
        return response

    return middleware
