"""Web Push reminders end to end against a fake push service on 127.0.0.1: the payload is
decrypted as a browser would, and its VAPID signature checked as a push service does."""

import datetime
import functools
import io
import json

import pytest
import time_machine
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from kindjournal.journal.models import DayEntry
from kindjournal.reminders import vapid
from kindjournal.reminders.models import MAX_DEVICES, PushSubscription, Reminder
from kindjournal.reminders.push import endpoint_allowed
from tests.conftest import make_user
from tests.push_service import FakeBrowser, PushService, vapid_claims
from tests.reminders_helpers import due_reminder
from tests.threads import at_once

UTC = datetime.UTC
PLANNED = datetime.datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
AT_EIGHT = datetime.datetime(2026, 12, 3, 20, 0, 30, tzinfo=UTC)
SUBJECT = "mailto:admin@journal.example.org"
FIREFOX_ANDROID = "Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0"
SECRET = "private words 9e2b"


@pytest.fixture
def services():
    started = [PushService(), PushService()]
    yield started
    for service in started:
        service.stop()


@pytest.fixture
def push_key(settings, services):
    key = vapid.generate_private_key()
    settings.KINDJOURNAL_VAPID_PRIVATE_KEY = key
    settings.KINDJOURNAL_VAPID_SUBJECT = SUBJECT
    settings.KINDJOURNAL_PUSH_HOSTS = [*settings.KINDJOURNAL_PUSH_HOSTS] + [
        service.origin for service in services
    ]
    return vapid.public_key(key)


def subscribe(client, endpoint, browser, user_agent=FIREFOX_ANDROID):
    return client.post(
        reverse("reminders:add_device"),
        {"endpoint": endpoint, "p256dh": browser.p256dh, "auth": browser.auth_b64},
        headers={"user-agent": user_agent},
        follow=True,
    )


def send(now=AT_EIGHT):
    out = io.StringIO()
    with time_machine.travel(now, tick=False):
        call_command("send_reminders", stdout=out)
    return out.getvalue()


def test_a_subscribed_device_gets_a_generic_encrypted_signed_notification(
    owner_client, owner, services, push_key
):
    service = services[0]
    browser = FakeBrowser()
    page = subscribe(owner_client, service.endpoint("alice"), browser).content.decode()
    assert "This device will get your reminders as notifications." in page
    assert "Firefox Mobile on Android" in page
    due_reminder(owner, at=datetime.time(20, 0), now=PLANNED, email=False, skip_if_logged=False)
    day = datetime.date(2026, 12, 3)
    DayEntry.objects.create(user=owner, date=day, mood=3, note=SECRET, recorded_on=day)

    assert send().splitlines()[0] == "Sent 1 reminders: 0 by e-mail, 1 by notification."

    [(path, headers, body)] = service.received
    assert path == "/push/alice"
    assert headers["content-encoding"] == "aes128gcm"
    assert headers["ttl"] == "14400"
    assert headers["urgency"] == "normal"
    assert headers["topic"] == "daily-reminder"
    payload = json.loads(browser.decrypt(body))
    assert payload == {
        "title": "KindJournal",
        "body": "A gentle reminder: how was your day?",
        "url": "/day/2026-12-03/",
        "tag": "daily-reminder",
    }
    claims = vapid_claims(headers, push_key)
    assert claims["sub"] == SUBJECT and claims["aud"] == service.origin
    device = PushSubscription.objects.get(user=owner)
    assert device.last_delivered_at == AT_EIGHT
    assert (
        "last reminder 3 December 2026, 20:00"
        in owner_client.get(reverse("reminders:settings")).content.decode()
    )


def test_each_push_service_gets_its_own_fresh_claims(owner_client, owner, services, push_key):
    browsers = [FakeBrowser(), FakeBrowser()]
    for service, browser in zip(services, browsers, strict=True):
        subscribe(owner_client, service.endpoint("alice"), browser)
    due_reminder(owner, at=datetime.time(20, 0), now=PLANNED, email=False)
    send()
    for service, browser in zip(services, browsers, strict=True):
        [(_, headers, body)] = service.received
        assert vapid_claims(headers, push_key)["aud"] == service.origin
        assert json.loads(browser.decrypt(body))["url"] == "/day/2026-12-03/"


@pytest.mark.parametrize("status", [404, 410])
def test_a_device_gone_at_the_push_service_is_removed(
    owner_client, owner, services, push_key, status
):
    service = services[0]
    subscribe(owner_client, service.endpoint("gone"), FakeBrowser())
    subscribe(owner_client, service.endpoint("kept"), FakeBrowser())
    service.statuses["/push/gone"] = status
    due_reminder(owner, at=datetime.time(20, 0), now=PLANNED, email=False)
    output = send()
    assert "1 devices removed" in output
    assert [d.endpoint for d in PushSubscription.objects.all()] == [service.endpoint("kept")]


def test_a_failing_push_service_is_counted_and_tomorrow_still_planned(
    owner_client, owner, services, push_key, caplog
):
    service = services[0]
    subscribe(owner_client, service.endpoint("broken"), FakeBrowser())
    service.statuses["/push/broken"] = 500
    due_reminder(owner, at=datetime.time(20, 0), now=PLANNED, email=False)
    assert "1 notifications failed." in send()
    assert PushSubscription.objects.filter(user=owner).exists()
    assert "failed: HTTP 500" in caplog.text
    assert Reminder.objects.get(user=owner).due_day == datetime.date(2026, 12, 4)


def test_a_push_service_that_redirects_is_a_failure_and_the_redirect_is_not_followed(
    owner_client, owner, services, push_key, caplog
):
    service, elsewhere = services
    subscribe(owner_client, service.endpoint("moved"), FakeBrowser())
    # An allowed push service answering "307, send it over there" must not make the server
    # POST anywhere else: the target is a second fake service, to see whether it is reached.
    service.redirects["/push/moved"] = elsewhere.endpoint("other")
    due_reminder(owner, at=datetime.time(20, 0), now=PLANNED, email=False)
    output = send()
    assert output.splitlines()[0] == "Sent 0 reminders: 0 by e-mail, 0 by notification."
    assert "1 notifications failed." in output
    assert [path for path, _, _ in service.received] == ["/push/moved"]
    assert elsewhere.received == []
    assert "failed: HTTP 307" in caplog.text
    assert PushSubscription.objects.get(user=owner).last_delivered_at is None


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://push.example.net/send/1",
        "http://fcm.googleapis.com/fcm/send/1",
        "https://fcm.googleapis.com.example.net/fcm/send/1",
        "https://user@fcm.googleapis.com/fcm/send/1",
        "https://fcm.googleapis.com:8443/fcm/send/1",
        "https://notify.windows.com.example.net/w/1",
        "http://127.0.0.1:9/push/1",
        "https://fcm.googleapis.com/" + "x" * 1000,
    ],
)
def test_a_subscription_to_an_unknown_address_is_refused(owner_client, owner, push_key, endpoint):
    response = subscribe(owner_client, endpoint, FakeBrowser())
    page = response.content.decode()
    assert "not one we send to" in page or "at most 1000 characters" in page
    assert not PushSubscription.objects.exists()


def test_the_major_browsers_push_services_are_accepted():
    for endpoint in (
        "https://fcm.googleapis.com/fcm/send/abc",
        "https://updates.push.services.mozilla.com/wpush/v2/abc",
        "https://web.push.apple.com/QGx",
        "https://wns2-by3p.notify.windows.com/w/?token=abc",
    ):
        assert endpoint_allowed(endpoint, hosts=None), endpoint


@pytest.mark.parametrize(
    ("p256dh", "auth"),
    [("AAAA", None), (None, "short"), ("not base64 !", None)],
)
def test_unusable_subscription_keys_are_refused(owner_client, owner, push_key, p256dh, auth):
    browser = FakeBrowser()
    response = owner_client.post(
        reverse("reminders:add_device"),
        {
            "endpoint": "https://fcm.googleapis.com/fcm/send/a",
            "p256dh": p256dh or browser.p256dh,
            "auth": auth or browser.auth_b64,
        },
        follow=True,
    )
    assert "The browser sent a subscription key we cannot use." in response.content.decode()
    assert not PushSubscription.objects.exists()


def test_subscribing_the_same_browser_twice_keeps_one_device(owner_client, owner, push_key):
    browser = FakeBrowser()
    subscribe(owner_client, "https://fcm.googleapis.com/fcm/send/a", browser)
    subscribe(owner_client, "https://fcm.googleapis.com/fcm/send/a", browser)
    assert PushSubscription.objects.filter(user=owner).count() == 1


def test_a_person_may_have_a_limited_number_of_devices(owner_client, owner, push_key):
    for number in range(MAX_DEVICES + 1):
        response = subscribe(owner_client, f"https://fcm.googleapis.com/s/{number}", FakeBrowser())
    assert f"You have {MAX_DEVICES} devices already" in response.content.decode()
    assert PushSubscription.objects.filter(user=owner).count() == MAX_DEVICES


def subscribe_at_once(user, endpoints):
    """Each endpoint subscribed by its own logged-in client, all released together."""
    clients = []
    for _ in endpoints:
        client = Client()
        client.force_login(user)
        clients.append(client)
    browser = FakeBrowser()
    return at_once(
        *[
            functools.partial(subscribe, client, endpoint, browser)
            for client, endpoint in zip(clients, endpoints, strict=True)
        ]
    )


@pytest.mark.django_db(transaction=True)
def test_devices_subscribed_at_once_cannot_pass_the_limit(push_key):
    owner = make_user("alice")
    endpoints = [f"https://fcm.googleapis.com/s/{number}" for number in range(MAX_DEVICES + 4)]
    responses = subscribe_at_once(owner, endpoints)
    pages = [response.content.decode() for response in responses]
    assert all(response.status_code == 200 for response in responses), responses
    added = [page for page in pages if "This device will get your reminders" in page]
    refused = [page for page in pages if f"You have {MAX_DEVICES} devices already" in page]
    assert (len(added), len(refused)) == (MAX_DEVICES, 4)
    assert PushSubscription.objects.filter(user=owner).count() == MAX_DEVICES


@pytest.mark.django_db(transaction=True)
def test_one_browser_subscribed_from_several_tabs_at_once_is_one_device(push_key):
    owner = make_user("alice")
    endpoint = "https://fcm.googleapis.com/fcm/send/tabs"
    responses = subscribe_at_once(owner, [endpoint] * 4)
    for response in responses:
        assert response.status_code == 200, response
        assert "This device will get your reminders" in response.content.decode()
    assert list(PushSubscription.objects.values_list("user", "endpoint")) == [(owner.pk, endpoint)]


@pytest.mark.django_db
def test_the_database_keeps_one_row_per_browser_and_person(owner, stranger):
    device = {"endpoint": "https://fcm.googleapis.com/fcm/send/a", "p256dh": "k", "auth": "a"}
    PushSubscription.objects.create(user=owner, label="Firefox", **device)
    PushSubscription.objects.create(user=stranger, label="Firefox", **device)
    with pytest.raises(IntegrityError), transaction.atomic():
        PushSubscription.objects.create(user=owner, label="Firefox again", **device)


def test_removing_a_device_stops_its_notifications(owner_client, owner, push_key):
    subscribe(owner_client, "https://fcm.googleapis.com/fcm/send/a", FakeBrowser())
    device = PushSubscription.objects.get(user=owner)
    response = owner_client.post(reverse("reminders:remove_device", args=[device.pk]), follow=True)
    assert "Device removed" in response.content.decode()
    assert not PushSubscription.objects.exists()
    again = owner_client.post(reverse("reminders:remove_device", args=[device.pk]))
    assert again.status_code == 404


def test_without_a_vapid_key_notifications_are_off_and_the_page_says_so(owner_client, owner):
    page = owner_client.get(reverse("reminders:settings")).content.decode()
    assert "Notifications are not set up on this server" in page
    assert "Remind me on this device" not in page
    response = subscribe(owner_client, "https://fcm.googleapis.com/fcm/send/a", FakeBrowser())
    assert "Notifications are not set up on this server." in response.content.decode()
    assert not PushSubscription.objects.exists()


def test_the_page_gives_the_browser_the_public_key(owner_client, push_key):
    response = owner_client.get(reverse("reminders:settings"))
    assert f'{{"key": "{push_key}"}}' in response.content.decode()
