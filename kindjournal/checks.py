"""System checks of our own, run by `manage.py check` (and `make serve`, before gunicorn)."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def allowed_hosts_set(app_configs, **kwargs):
    # Django's own check (security.W020) is only a warning, but a server without hosts answers
    # every request with 400.
    if settings.DEBUG or settings.ALLOWED_HOSTS:
        return []
    return [
        Error(
            "DJANGO_ALLOWED_HOSTS is empty, so every request would be refused with 400.",
            hint="Set it to the site's host names, e.g. DJANGO_ALLOWED_HOSTS=journal.example.org.",
            id="kindjournal.E001",
        )
    ]


@register(Tags.security, deploy=True)
def base_url_set(app_configs, **kwargs):
    # Without it a production server cannot give out share links (kindjournal/absolute_urls.py).
    if settings.DEBUG or settings.KINDJOURNAL_BASE_URL:
        return []
    return [
        Error(
            "KINDJOURNAL_BASE_URL is empty, so share links and reminders have no address.",
            hint="Set it to the address people open, e.g. "
            "KINDJOURNAL_BASE_URL=https://journal.example.org.",
            id="kindjournal.E002",
        )
    ]
