"""Notifications in the browser: subscribe this device, see it listed, get a reminder, remove it.

No push service is reachable here, so `PushManager.prototype.subscribe` is replaced (before any
page script runs) by one that answers with a subscription at a fake push service on 127.0.0.1,
with keys this test holds. The server's real send goes there and is decrypted; the DevTools
protocol then hands that payload to the service worker, which shows the notification.
"""

import datetime
import json

import pytest
from django.utils import timezone

from kindjournal.reminders import vapid
from kindjournal.reminders.models import PushSubscription, Reminder
from kindjournal.reminders.push import Pusher
from kindjournal.reminders.sending import send_due
from tests.browser.conftest import worker_registration_id
from tests.push_service import FakeBrowser, PushService

STUB = """
PushManager.prototype.subscribe = function () {
  var subscription = %s;
  return Promise.resolve({
    endpoint: subscription.endpoint,
    toJSON: function () { return subscription; }
  });
};
"""

NOTIFICATIONS = """navigator.serviceWorker.ready.then(function (registration) {
  return registration.getNotifications();
}).then(function (list) {
  return list.map(function (n) { return {title: n.title, body: n.body, url: n.data.url}; });
})"""


@pytest.fixture
def service():
    started = PushService()
    yield started
    started.stop()


@pytest.fixture
def push_on(settings, service):
    settings.KINDJOURNAL_VAPID_PRIVATE_KEY = vapid.generate_private_key()
    settings.KINDJOURNAL_VAPID_SUBJECT = "mailto:admin@journal.example.org"
    settings.KINDJOURNAL_PUSH_HOSTS = [service.origin]


def worker_ready(page):
    page.evaluate("navigator.serviceWorker.ready.then(function () { return true; })")


def test_subscribe_list_receive_and_remove_a_device(
    context, page, logged_in, owner, live_server, service, push_on
):
    browser_keys = FakeBrowser()
    subscription = {
        "endpoint": service.endpoint("phone"),
        "keys": {"p256dh": browser_keys.p256dh, "auth": browser_keys.auth_b64},
    }
    context.add_init_script(STUB % json.dumps(subscription))
    context.grant_permissions(["notifications"], origin=live_server.url)
    logged_in(owner)
    page.goto("/reminders/")
    worker_ready(page)

    page.get_by_role("button", name="Remind me on this device").click()
    page.wait_for_url("**/reminders/")
    page.get_by_text("This device will get your reminders as notifications.").wait_for()
    devices = page.locator("#push-devices li")
    assert devices.count() == 1
    assert "on Linux" in devices.inner_text()
    assert "no reminder delivered yet" in devices.inner_text()

    # The server sends a reminder due a minute ago; the fake service receives it.
    reminder = Reminder(user=owner, enabled=True, skip_if_logged=False)
    reminder.plan("UTC", timezone.now() - datetime.timedelta(days=1))
    reminder.save()
    Reminder.objects.filter(pk=reminder.pk).update(
        next_due=timezone.now() - datetime.timedelta(minutes=1), due_day=timezone.localdate()
    )
    assert send_due(push=Pusher.from_settings())["push"] == 1
    [(_, _, body)] = service.received
    payload = browser_keys.decrypt(body).decode()

    cdp, registration_id = worker_registration_id(context, page)
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {
            "origin": live_server.url,
            "registrationId": registration_id,
            "data": payload,
        },
    )
    shown = None
    for _ in range(50):
        shown = page.evaluate(NOTIFICATIONS)
        if shown:
            break
        page.wait_for_timeout(100)
    today = timezone.localdate().isoformat()
    assert shown == [
        {
            "title": "KindJournal",
            "body": "A gentle reminder: how was your day?",
            "url": f"{live_server.url}/day/{today}/",
        }
    ]

    page.reload()
    assert "last reminder" in page.locator("#push-devices li").inner_text()
    page.get_by_role("button", name="Remove").click()
    page.get_by_text("Device removed: it gets no more notifications.").wait_for()
    assert page.locator("#push-devices").count() == 0
    assert not PushSubscription.objects.exists()


def test_a_notification_opens_only_a_page_of_this_site(
    context, page, logged_in, owner, live_server
):
    context.grant_permissions(["notifications"], origin=live_server.url)
    logged_in(owner)
    page.goto("/reminders/")
    worker_ready(page)
    cdp, registration_id = worker_registration_id(context, page)
    home = f"{live_server.url}/"
    opens = {
        "/day/2026-12-03/": f"{live_server.url}/day/2026-12-03/",
        f"{live_server.url}/day/2026-12-04/": f"{live_server.url}/day/2026-12-04/",
        "https://other.example/day/2026-12-03/": home,
        "//other.example/day/": home,
        "/\\other.example/day/": home,
        "javascript:alert(1)": home,
        "http://[::1": home,  # not a URL at all
        None: home,
    }
    for number, (url, expected) in enumerate(opens.items()):
        # Each payload replaces the one before (same tag); its body tells them apart.
        payload = {"title": "KindJournal", "body": f"Payload {number}", "tag": "daily-reminder"}
        if url is not None:
            payload["url"] = url
        cdp.send(
            "ServiceWorker.deliverPushMessage",
            {
                "origin": live_server.url,
                "registrationId": registration_id,
                "data": json.dumps(payload),
            },
        )
        shown = None
        for _ in range(50):
            shown = page.evaluate(NOTIFICATIONS)
            if shown and shown[-1]["body"] == payload["body"]:
                break
            page.wait_for_timeout(100)
        assert shown[-1]["body"] == payload["body"]
        # What a click opens: the worker's notificationclick resolves the URL the notification
        # keeps against its own origin.
        opened = page.evaluate("url => new URL(url, location.origin).href", shown[-1]["url"])
        assert opened == expected, url


def test_a_browser_without_web_push_says_so(context, page, logged_in, owner, push_on):
    context.add_init_script("delete window.PushManager;")
    logged_in(owner)
    page.goto("/reminders/")
    page.get_by_role("button", name="Remind me on this device").click()
    status = page.locator("#push-status")
    assert "cannot show notifications" in status.inner_text()
    assert "add KindJournal to your home screen" in status.inner_text()
    assert not PushSubscription.objects.exists()


def test_refused_permission_says_how_to_allow_it(context, page, logged_in, owner, push_on):
    context.add_init_script(
        "Notification.requestPermission = function () { return Promise.resolve('denied'); };"
    )
    logged_in(owner)
    page.goto("/reminders/")
    page.get_by_role("button", name="Remind me on this device").click()
    page.get_by_text("Notifications are blocked for KindJournal in this browser.").wait_for()
    assert page.get_by_role("button", name="Remind me on this device").is_enabled()
    assert not PushSubscription.objects.exists()
