import mimetypes
from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.templatetags.static import static
from django.views.decorators.http import require_safe

from kindjournal.offline import appearance


@require_safe
def manifest(request):
    data = {
        "name": appearance.NAME,
        "short_name": appearance.SHORT_NAME,
        "description": appearance.DESCRIPTION,
        "id": "/",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": appearance.THEME_COLORS["light"],
        "background_color": appearance.THEME_COLORS["light"],
        "icons": [
            {
                "src": static(path),
                "sizes": sizes,
                "type": mimetypes.guess_type(path)[0],
                "purpose": purpose,
            }
            for path, sizes, purpose in appearance.ICONS
        ],
    }
    response = JsonResponse(data, content_type="application/manifest+json")
    # The icon URLs carry the static files' hashes, which change with a deploy.
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def favicon(request):
    # Browsers and tools ask for /favicon.ico whatever the page links; answered from the source
    # of the static files (there with or without collectstatic), so there is one copy of it.
    icon = Path(finders.find(appearance.FAVICON)).read_bytes()
    response = HttpResponse(icon, content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response
