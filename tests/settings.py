"""Settings for the test suite: the real settings module, read from a test environment.

Everything comes from kindjournal/settings.py through the same environment variables a deploy
sets; only the password hasher is swapped for speed (a test checks Argon2 leads the real list).
The values the tests rely on are forced, whatever the shell running pytest has set.

DATABASE_URL alone passes through: scripts/with_postgres.sh points it at a throwaway PostgreSQL
cluster, so `make test-postgres` runs the same suite there. Django never writes the database it
names, but it does create and drop `test_<name>` on that server, so `make test` unsets
DATABASE_URL: a production URL left in a shell never reaches a test run that way. Unset, the
tests use a temporary SQLite file.
"""

import os
import tempfile

os.environ.update(
    {
        "DJANGO_SECRET_KEY": "tests-only-not-a-secret",
        # Every test runs with notes and acts encrypted, as in production.
        "KINDJOURNAL_FIELD_KEYS": "dGVzdHMtb25seS1ub3QtYS1yZWFsLWZpZWxkLWtleSE=",
        "DJANGO_DEBUG": "false",
        # The live server for browser tests speaks plain HTTP.
        "DJANGO_HTTPS": "false",
        "DJANGO_ALLOWED_HOSTS": "testserver,localhost,127.0.0.1",
        "SIGNUP_RATE": "10/h",
        "SHARE_RATE": "60/h",
        # Share links point here; browser tests point them at their live server instead.
        "KINDJOURNAL_BASE_URL": "http://testserver",
        "AXES_FAILURE_LIMIT": "5",
        "AXES_COOLOFF_MINUTES": "15",
        # Outside the checkout: a test run never writes into the source tree.
        "KINDJOURNAL_DATA_DIR": os.path.join(
            tempfile.gettempdir(), f"kindjournal-test-data-{os.getpid()}"
        ),
    }
)
# Requests in tests come straight from the client, and no mail server is set up (tests that
# need one say so with override_settings).
for name in ("DJANGO_BEHIND_PROXY", "DJANGO_PROXY_COUNT", "DJANGO_EMAIL_HOST"):
    os.environ.pop(name, None)

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
