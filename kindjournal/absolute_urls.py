"""Absolute links to this site, for addresses people take elsewhere (share links, reminders).

Built from settings.KINDJOURNAL_BASE_URL, never from the request's Host header: a client
chooses that header, and a link built from it could send a therapist to someone else's server.
Only with DEBUG on and no base URL set does the request's own address stand in (`make run`).
"""

from django.conf import settings


def base_url_configured():
    return bool(settings.KINDJOURNAL_BASE_URL) or settings.DEBUG


def absolute_url(path, request=None):
    """`path` (from reverse(), starting with "/") as a full URL; None when no base URL is set
    and the request cannot stand in for it (see `base_url_configured`)."""
    if settings.KINDJOURNAL_BASE_URL:
        return settings.KINDJOURNAL_BASE_URL + path
    if settings.DEBUG and request is not None:
        return request.build_absolute_uri(path)
    return None
