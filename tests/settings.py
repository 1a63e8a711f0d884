"""Settings for the test suite: the real settings module, read from a test environment.

Everything comes from kindjournal/settings.py through the same environment variables a deploy
sets; only the password hasher is swapped for speed (a test checks Argon2 leads the real list).
DATABASE_URL passes through, so `make test-postgres` runs the same suite on PostgreSQL.
"""

import os
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-not-a-secret")
os.environ.setdefault("DJANGO_DEBUG", "false")
# The live server for browser tests speaks plain HTTP.
os.environ.setdefault("DJANGO_HTTPS", "false")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from kindjournal.settings import *  # noqa: E402,F403
from kindjournal.settings import DATABASES, STORAGES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Hashed static file names need collectstatic; tests serve the files as they are.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files straight from static/ (no collectstatic before tests).
WHITENOISE_USE_FINDERS = True

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, as in production, not Django's shared-cache in-memory database: there two
    # threads writing at once fail with "database table is locked" instead of queueing on the
    # busy timeout (tests/test_imports_concurrency.py). One per run, deleted after it.
    DATABASES["default"]["TEST"] = {
        "NAME": os.path.join(tempfile.gettempdir(), f"test_kindjournal_{os.getpid()}.sqlite3")
    }
