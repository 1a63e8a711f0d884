"""Serve jsDelivr requests from the npm registry's copies of the same packages.

`make test` (scripts/fetch_cdn_copies.sh) unpacks them into .cdn-cache/<name>@<version>/.
Browser tests never reach the internet; since Chromium checks the integrity hashes, a page whose
Bootstrap and Chart.js load here also proves the hashes in kindjournal/cdn.py are right.
"""

import mimetypes
from pathlib import Path

from kindjournal import cdn

CACHE_DIR = Path(__file__).resolve().parents[2] / ".cdn-cache"


def local_copy(url):
    """The unpacked npm file behind a jsDelivr URL we use, or None."""
    if not url.startswith(cdn.JSDELIVR):
        return None
    spec, _, path = url.removeprefix(cdn.JSDELIVR).partition("/")
    candidate = CACHE_DIR / spec / "package" / path
    return candidate if candidate.is_file() else None


def fulfil_from_npm_copy(route):
    path = local_copy(route.request.url)
    if path is None:
        route.fulfill(status=404, body="not in the local CDN copy")
        return
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    route.fulfill(status=200, body=path.read_bytes(), content_type=content_type)
