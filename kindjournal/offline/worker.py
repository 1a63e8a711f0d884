"""The service worker script as served at /sw.js: static/js/sw.js under this deploy's settings.

The worker keeps exactly the files the offline page needs. Their names are the ones pages link
(`static()`: WhiteNoise's hashed names in production), so a deploy that changes any file, the
offline page or the worker itself changes the version, and browsers install the new worker.
"""

import hashlib
import json
from pathlib import Path

from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse

from kindjournal import cdn

# Everything the offline page (templates/offline/shell.html and base.html) loads from us.
PRECACHED_STATIC = [
    "css/app.css",
    "js/theme.js",
    "js/forms.js",
    "js/queue.js",
    "js/offline.js",
    "icons/icon.svg",
    "icons/apple-touch-icon.png",
    "icons/icon-192.png",
]
QUEUE_SCRIPT = "js/queue.js"
WORKER_SOURCE = "js/sw.js"


def worker_script(shell_html):
    """The JavaScript of /sw.js; `shell_html` is the offline page, hashed into the version."""
    config = {
        "shell": reverse("offline:shell"),
        "manifest": reverse("offline:manifest"),
        "send": reverse("offline:send"),
        "queue": static(QUEUE_SCRIPT),
        "static": [static(path) for path in PRECACHED_STATIC],
        "cdn": [{"url": asset.url, "integrity": asset.integrity} for asset in cdn.ASSETS.values()],
    }
    source = Path(finders.find(WORKER_SOURCE)).read_text()
    digest = hashlib.sha256()
    for part in (json.dumps(config, sort_keys=True), source, shell_html):
        digest.update(part.encode())
    config["version"] = digest.hexdigest()[:16]
    return f"self.KINDJOURNAL = {json.dumps(config)};\n{source}"
