"""KindJournal settings: one module, every deploy value read from the environment.

Local defaults just work (`make run` sets DJANGO_DEBUG=true). With DJANGO_DEBUG off the app
refuses to start without DJANGO_SECRET_KEY, and serves HTTPS-only unless DJANGO_HTTPS=false.
The README's "Configuration" table lists every variable read here.
"""

import os
import secrets
import tempfile
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from cryptography.fernet import Fernet
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from kindjournal import cdn
from kindjournal.reminders import vapid

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("KINDJOURNAL_DATA_DIR", BASE_DIR / "data"))


def env_str(name, default=""):
    return os.environ.get(name, default).strip()


def env_bool(name, default):
    raw = env_str(name).lower()
    if not raw:
        return default
    if raw in ("1", "true"):
        return True
    if raw in ("0", "false"):
        return False
    raise ImproperlyConfigured(f"{name} must be true, false, 1 or 0, not {raw!r}.")


def env_int(name, default, minimum=None):
    raw = env_str(name)
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be {minimum} or more, not {value}.")
    return value


RATE_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def env_rate(name, default):
    """A rate such as `10/h` (s, m, h or d) as (count, seconds)."""
    raw = env_str(name) or default
    count, _, unit = raw.partition("/")
    if not (count.isdecimal() and int(count) >= 1 and unit in RATE_UNITS):
        raise ImproperlyConfigured(
            f"{name} must be a number from 1 up, a slash and one of s, m, h or d "
            f"(per second, minute, hour or day), such as 10/h, not {raw!r}."
        )
    return int(count), RATE_UNITS[unit]


def env_list(name, default=()):
    raw = env_str(name)
    return [item.strip() for item in raw.split(",") if item.strip()] if raw else list(default)


def env_base_url(name):
    """The site's public address, such as `https://journal.example.org` (no trailing slash), or
    "" when unset."""
    raw = env_str(name).rstrip("/")
    if not raw:
        return ""
    parts = urlsplit(raw)
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.query
        or parts.fragment
        or "@" in parts.netloc
    ):
        raise ImproperlyConfigured(
            f"{name} must be the address people open the site at, such as "
            f"https://journal.example.org (http or https, no query), not {raw!r}."
        )
    return raw


def _make_data_dir():
    # Only its owner may enter: it holds the SQLite database (everyone's notes) and the key.
    DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)


def _local_key(name, make):
    """A per-checkout key for local development, kept in the git-ignored data folder as
    `name`; `make()` makes a new one."""
    key_file = DATA_DIR / name
    if not key_file.exists():
        _make_data_dir()
        # Written whole to a private (mode 600) temporary file, then linked into place, which
        # fails if another process starting at the same moment got there first: nobody ever
        # reads a half-written key, and all of them use the one that won.
        handle, temporary = tempfile.mkstemp(dir=DATA_DIR)
        try:
            with os.fdopen(handle, "w") as new_key:
                new_key.write(make())
            os.link(temporary, key_file)
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary)
    return key_file.read_text().strip()


def env_field_keys(name):
    """The Fernet keys that encrypt notes and acts (kindjournal/journal/encryption.py)."""
    keys = env_list(name)
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except ValueError:
            # The value itself is never repeated: it may be a real key with a typo.
            raise ImproperlyConfigured(
                f"{name}: key {position} of {len(keys)} is not a Fernet key (44 characters "
                "of URL-safe base64). Make one with: python manage.py generate_field_key"
            ) from None
    return keys


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random value "
            '(python -c "import secrets; print(secrets.token_urlsafe(50))"), '
            "or set DJANGO_DEBUG=true for local development."
        )
    SECRET_KEY = _local_key("secret_key", lambda: secrets.token_urlsafe(50))

# Notes and act descriptions are encrypted under these (comma-separated; the first encrypts,
# all decrypt), never under SECRET_KEY: either can be rotated without losing the other, and a
# database backup is unreadable without them. The README's "Encryption at rest" says how to
# rotate them and why they are backed up apart from the database.
KINDJOURNAL_FIELD_KEYS = env_field_keys("KINDJOURNAL_FIELD_KEYS")
if not KINDJOURNAL_FIELD_KEYS:
    if not DEBUG:
        raise ImproperlyConfigured(
            "KINDJOURNAL_FIELD_KEYS is not set: notes and acts are encrypted with it. Set it to "
            'a key made with python -c "from cryptography.fernet import Fernet; '
            'print(Fernet.generate_key().decode())" and back the key up apart from the '
            "database, or set DJANGO_DEBUG=true for local development."
        )
    KINDJOURNAL_FIELD_KEYS = [_local_key("field_keys", lambda: Fernet.generate_key().decode())]

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# Where links that leave the site point (share links, reminders): never built from a request's
# Host header, which a client chooses. Only with DEBUG on, and this unset, is the request's own
# address used (kindjournal/absolute_urls.py); `check --deploy` requires it otherwise.
KINDJOURNAL_BASE_URL = env_base_url("KINDJOURNAL_BASE_URL")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "csp",
    # Two-factor sign-in (kindjournal/accounts/two_factor.py): TOTP devices and recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "kindjournal.apps.KindJournalConfig",
    "kindjournal.accounts",
    "kindjournal.journal",
    "kindjournal.insights",
    "kindjournal.exports",
    "kindjournal.imports",
    "kindjournal.offline",
    "kindjournal.moodcalendar",
    "kindjournal.sharing",
    "kindjournal.reminders",
]

MIDDLEWARE = [
    # First (outermost), so that it sees every response under /s/, including the redirects
    # made by the middleware below it (a missing trailing slash, HTTPS), and overrides their
    # Referrer-Policy and Content-Security-Policy with the stricter ones.
    "kindjournal.sharing.middleware.shared_page_headers",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kindjournal.accounts.middleware.private_responses_not_stored",
    "kindjournal.accounts.middleware.TimezoneMiddleware",
    "kindjournal.accounts.middleware.DeletedAccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Before any view, form or CSRF check reads a body (kindjournal/request_limits.py).
    "kindjournal.request_limits.refuse_large_bodies",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a lockout raised by the backend into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kindjournal.urls"
WSGI_APPLICATION = "kindjournal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kindjournal.context_processors.cdn_assets",
                "kindjournal.context_processors.app_shell",
            ],
        },
    },
]

# Database: the embedded SQLite file unless DATABASE_URL names another (PostgreSQL in production).
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'kindjournal.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if not env_str("DATABASE_URL"):
    # SQLite creates the file but not its folder: a fresh clone's `make serve` needs it made.
    _make_data_dir()
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Tuned for a web server: WAL lets readers run beside the writer; IMMEDIATE takes the write
    # lock at BEGIN so two concurrent writers queue on the busy timeout instead of failing with
    # "database is locked" halfway through a transaction. secure_delete overwrites what a
    # deletion frees (a deleted note, a deleted account) instead of leaving it in free pages;
    # some SQLite builds have it on by default, others not, so it is asked for here.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON;"
        ),
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Nothing is cached: every page is computed from the database, so any number of processes and
# machines agree at once, and no writer has to remember to invalidate anything. Rate limits and
# log-in lockouts keep their counts in tables of their own. A future cache is a deliberate choice
# made here, not Django's per-process default.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend, with log-ins under way counted toward the lockout before the password is
    # checked (kindjournal/accounts/lockout.py).
    "kindjournal.accounts.lockout.LockoutCountedBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "journal:today"
LOGOUT_REDIRECT_URL = "journal:today"

# Login brute force: five failures for one username from one address lock that pair out.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The message names the cool-off in minutes (AXES_LOCKOUT_TEMPLATE would get it as "PT15M").
AXES_LOCKOUT_CALLABLE = "kindjournal.accounts.views.locked_out"
# Both limits key on the client's address, read past our own proxies (DJANGO_PROXY_COUNT).
AXES_CLIENT_IP_CALLABLE = "kindjournal.client_ip.client_ip"
# django-axes keeps a failed attempt's form data; besides its defaults, a one-time code (a recovery
# code sent with a wrong password is still good) is masked there like the password.
# Masked in the attempts django-axes stores (it masks only `password` itself): every form that
# checks the current password counts a wrong one, and its post data holds the other fields too.
AXES_SENSITIVE_PARAMETERS = [
    "username",
    "ip_address",
    "otp_token",
    "old_password",
    "current_password",
    "new_password1",
    "new_password2",
]
# Two-factor sign-in: authenticator apps show the account as "KindJournal: NAME"; the admin
# lists people's devices (so staff can turn off the second factor of someone who lost it)
# without their secrets.
OTP_TOTP_ISSUER = "KindJournal"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Sign-up attempts allowed per client address in any sliding window of that length:
# (count, seconds), counted in the database.
SIGNUP_RATE = env_rate("SIGNUP_RATE", "10/h")
# Requests to shared links (/s/...) allowed per client address in any sliding window of that
# length, valid links or not: enough for a therapist's session, far too few to guess a token.
SHARE_RATE = env_rate("SHARE_RATE", "60/h")

# Web Push for reminders (kindjournal/reminders/push.py). Without a VAPID key notifications are
# off and /reminders/ says so; with debug on, a key is generated into the data folder.
# `python manage.py generate_vapid_keys` prints a new pair.
KINDJOURNAL_VAPID_PRIVATE_KEY = env_str("KINDJOURNAL_VAPID_PRIVATE_KEY")
if not KINDJOURNAL_VAPID_PRIVATE_KEY and DEBUG:
    KINDJOURNAL_VAPID_PRIVATE_KEY = _local_key("vapid_private_key", vapid.generate_private_key)
if KINDJOURNAL_VAPID_PRIVATE_KEY:
    try:
        vapid.load(KINDJOURNAL_VAPID_PRIVATE_KEY)
    except ValueError:
        raise ImproperlyConfigured(
            "KINDJOURNAL_VAPID_PRIVATE_KEY must be a private key as `python manage.py "
            "generate_vapid_keys` prints it (base64url)."
        ) from None
# The contact push services may write to about our notifications.
KINDJOURNAL_VAPID_SUBJECT = env_str("KINDJOURNAL_VAPID_SUBJECT") or (
    "mailto:admin@localhost" if DEBUG else ""
)
if KINDJOURNAL_VAPID_PRIVATE_KEY and not KINDJOURNAL_VAPID_SUBJECT.startswith(
    ("mailto:", "https://")
):
    raise ImproperlyConfigured(
        "KINDJOURNAL_VAPID_SUBJECT must be a contact for the push services, a mailto: or https:// "
        f"address such as mailto:admin@journal.example.org, not {KINDJOURNAL_VAPID_SUBJECT!r}."
    )
# Push services a browser's subscription may point at: the server only ever POSTs there. A
# host (https, exactly that host), a ".suffix" (https, any host under it), or an exact origin
# such as http://127.0.0.1:8765 (a local push service for tests).
KINDJOURNAL_PUSH_HOSTS = env_list(
    "KINDJOURNAL_PUSH_HOSTS",
    [
        "fcm.googleapis.com",  # Chrome, Edge on Android, Opera, Samsung Internet
        "android.googleapis.com",  # older Chrome subscriptions
        "updates.push.services.mozilla.com",  # Firefox
        "web.push.apple.com",  # Safari, iOS home-screen apps
        ".notify.windows.com",  # Edge on Windows
    ],
)
# Request bodies, in bytes: a request declaring more gets a 413 before anything reads it. The
# import's upload (files up to 5 MB, kindjournal/imports/forms.py) plus its form; every other
# form and the offline send (64 kB) fit in far less. The proxy in front must allow the larger
# (README, "Deployment"). An accepted upload stays in memory rather than in a temporary file.
REQUEST_BODY_MAX_BYTES = 256 * 1024
IMPORT_REQUEST_BODY_MAX_BYTES = 6 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_BODY_MAX_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = IMPORT_REQUEST_BODY_MAX_BYTES

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail (password reset): over SMTP with DJANGO_EMAIL_HOST; in debug without one, printed to
# the console. A production server without one has no password reset by e-mail (the page says
# to ask the administrator): printed, working reset links would sit in the server's log.
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST")
PASSWORD_RESET_BY_EMAIL = bool(EMAIL_HOST) or DEBUG
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
elif DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
# Seconds; a mail server that stops answering must not hold a worker until gunicorn kills it.
EMAIL_TIMEOUT = 10
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("DJANGO_EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("DJANGO_EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "KindJournal <noreply@localhost>")

# HTTPS and browser hardening. On by default whenever DEBUG is off; DJANGO_HTTPS=false serves
# plain HTTP (only for a local production-style run such as `make serve` and the load test).
HTTPS = env_bool("DJANGO_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", HTTPS)
# Behind a TLS-terminating proxy: trust its X-Forwarded-Proto, and take the client's address
# from X-Forwarded-For past PROXY_COUNT proxies (kindjournal/client_ip.py).
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
PROXY_COUNT = env_int("DJANGO_PROXY_COUNT", 1 if BEHIND_PROXY else 0, minimum=0)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Scripts and styles only from this site and the exact CDN files in kindjournal/cdn.py; no
# inline script or style, no third-party requests. `data:` images are Bootstrap's inline SVG icons.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, *cdn.urls_of(".js")],
        "style-src": [SELF, *cdn.urls_of(".css")],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Django logs every 4xx response with its path: a shared link's token must not reach a log.
    "filters": {"share_tokens": {"()": "kindjournal.sharing.redact.RedactShareTokens"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["share_tokens"]},
    },
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # django-axes logs every successful login at INFO; lockouts still show as warnings.
        "axes": {"level": "WARNING"},
        # Django's own handlers for these would bypass the filter: send them through ours.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
