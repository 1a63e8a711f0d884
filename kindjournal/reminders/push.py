"""Web Push for reminders: pywebpush with VAPID, only to the known push services.

What is sent is generic (it shows on a lock screen): a title, a sentence and the path of the
day it is about. The service worker (static/js/sw.js) shows it and opens that day on a click.
"""

import json
import logging
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.urls import reverse
from pywebpush import WebPushException, webpush

from kindjournal.reminders import vapid
from kindjournal.reminders.models import PushSubscription

logger = logging.getLogger(__name__)
# A reminder is about today: after a few hours the push service may drop it.
TTL_SECONDS = 4 * 3600
# One topic: a newer reminder waiting at the push service replaces an older one.
TOPIC = "daily-reminder"
TIMEOUT_SECONDS = 10
TITLE = "KindJournal"
BODY = "A gentle reminder: how was your day?"


def push_enabled():
    return bool(settings.KINDJOURNAL_VAPID_PRIVATE_KEY)


def public_key():
    return vapid.public_key(settings.KINDJOURNAL_VAPID_PRIVATE_KEY)


def endpoint_allowed(endpoint, hosts=None):
    """Whether `endpoint` is on one of the known push services (KINDJOURNAL_PUSH_HOSTS), so that
    the server never POSTs to an address of someone's choosing."""
    try:
        parts = urlsplit(endpoint)
        port = parts.port
    except ValueError:
        return False
    if not parts.hostname or parts.username or parts.password:
        return False
    for entry in settings.KINDJOURNAL_PUSH_HOSTS if hosts is None else hosts:
        if "://" in entry:
            allowed = urlsplit(entry)
            if (parts.scheme, parts.hostname, port) == (
                allowed.scheme,
                allowed.hostname,
                allowed.port,
            ):
                return True
        elif parts.scheme == "https" and port in (None, 443):
            host = parts.hostname
            if host == entry or (entry.startswith(".") and host.endswith(entry)):
                return True
    return False


def payload(day):
    return json.dumps(
        {"title": TITLE, "body": BODY, "url": reverse("journal:day", args=[day]), "tag": TOPIC}
    )


class NoRedirectSession(requests.Session):
    """A session that never follows a redirect: endpoint_allowed() checked the endpoint, not
    where a push service (or whoever answers at it) redirects to. A 3xx is then the answer,
    and pywebpush reports it as a failed push like any status above 202."""

    def request(self, *args, **kwargs):
        kwargs["allow_redirects"] = False
        return super().request(*args, **kwargs)


class Pusher:
    """Sends one pass's notifications; what each device's send did is written per batch."""

    def __init__(self, private_key, subject):
        self.key = vapid.load(private_key)
        self.subject = subject
        self.session = NoRedirectSession()  # one connection per push service, kept open
        self.delivered, self.gone = [], []

    @classmethod
    def from_settings(cls):
        """A Pusher, or None when notifications are off (no VAPID key)."""
        if not push_enabled():
            return None
        return cls(settings.KINDJOURNAL_VAPID_PRIVATE_KEY, settings.KINDJOURNAL_VAPID_SUBJECT)

    def send(self, device, day, counts):
        if not endpoint_allowed(device.endpoint):
            # Stored under an older allow-list: never POSTed to now.
            logger.error("Push to device %s skipped: its push service is not allowed.", device.pk)
            counts["push_failed"] += 1
            return
        try:
            webpush(
                device.as_subscription_info(),
                data=payload(day),
                vapid_private_key=self.key,
                # Fresh each time: webpush() writes "aud" and "exp" into the dict it is given.
                vapid_claims={"sub": self.subject},
                ttl=TTL_SECONDS,
                headers={"Urgency": "normal", "Topic": TOPIC},
                timeout=TIMEOUT_SECONDS,
                requests_session=self.session,
            )
        except WebPushException as error:
            status = getattr(error.response, "status_code", None)
            if status in (404, 410):  # unsubscribed or expired at the push service
                self.gone.append(device.pk)
                counts["push_gone"] += 1
                return
            logger.error("Push to device %s failed: HTTP %s.", device.pk, status)
            counts["push_failed"] += 1
            return
        except Exception as error:  # noqa: BLE001 (network failures: the others still go)
            logger.error("Push to device %s failed: %s.", device.pk, type(error).__name__)
            counts["push_failed"] += 1
            return
        self.delivered.append(device.pk)
        counts["push"] += 1

    def finish_batch(self, now):
        PushSubscription.objects.filter(pk__in=self.delivered).update(last_delivered_at=now)
        PushSubscription.objects.filter(pk__in=self.gone).delete()
        self.delivered, self.gone = [], []
