"""A connection that says it is there but does not work: a form post that fails keeps its entry
on the device and sends it later, and logging out never leaves the server's session alive
behind a cleared device (README, "Offline"). The failures are made with routes on the browser
context, which also see the page's own requests while `navigator.onLine` stays true."""

import datetime

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session

from kindjournal.journal.models import DayEntry, KindnessAct
from tests.browser.test_offline import controlled, queue_once_settled, waiting_items
from tests.conftest import PASSWORD

KEPT = "KindJournal could not be reached, so this is kept on this device: "
NEEDS_CONNECTION = (
    "Logging out needs a connection: you are still logged in, and nothing was deleted from "
    "this device. Try again once you're back online."
)


SEND_URL = "/offline/send/"


def page_failing_only(context, *paths):
    """A page whose only console errors may be the failed requests to `paths`, which the tests
    below make fail on purpose (Chromium logs each as an error)."""
    page = context.new_page()
    errors = []
    page.on(
        "console",
        lambda message: (
            message.type == "error" and errors.append(message.location["url"] or message.text)
        ),
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page, errors


def failing_posts(how):
    """A route handler that makes POSTs fail `how`; every other request goes through."""

    def handle(route):
        if route.request.method != "POST":
            return route.continue_()
        if how == "network" or route.request.url.endswith(SEND_URL):
            return route.abort()
        if how == "server error":
            return route.fulfill(status=502, body="Bad gateway")
        # "timeout": the form post is never answered; the page gives up on its own.

    return handle


@pytest.mark.parametrize("how", ["network", "server error", "timeout"])
def test_an_act_whose_post_fails_while_online_waits_on_the_device_and_is_sent_later(
    context, logged_in, owner, live_server, how
):
    logged_in(owner)
    context.clock.install()
    page, errors = page_failing_only(context)
    controlled(page)
    today = owner.profile.today()
    acts_url = f"{live_server.url}/day/{today}/acts/"
    site = f"{live_server.url}/**"
    handler = failing_posts(how)  # the form post, and the worker's and the page's sends
    context.route(site, handler)

    page.get_by_label("What did you do?").fill("Phoned Gran")
    # The page arms its time-out just before it posts; the clock may only move after that.
    with page.expect_request(lambda request: request.method == "POST"):
        page.get_by_role("button", name="Add").click()
    if how == "timeout":
        page.clock.fast_forward("00:21")
    page.get_by_text(f"{KEPT}“Phoned Gran” (Other) for today.").wait_for()
    assert page.evaluate("navigator.onLine")
    item = waiting_items(page).first
    assert item.inner_text() == "“Phoned Gran” (Other) for todaywaiting to be sent"
    assert page.get_by_label("What did you do?").input_value() == ""
    assert not KindnessAct.objects.exists()

    context.unroute(site, handler)
    page.clock.fast_forward("00:16")  # the page tries again by itself
    page.get_by_text("Sent from this device: “Phoned Gran” for today.").wait_for()
    page.locator(".kj-act-list").get_by_text("Phoned Gran").wait_for()
    assert queue_once_settled(page, owner) == []
    assert list(KindnessAct.objects.filter(user=owner).values_list("description", flat=True)) == [
        "Phoned Gran"
    ]
    assert all(url.startswith(acts_url) or url.endswith(SEND_URL) for url in errors), errors


def test_a_mood_whose_answer_was_lost_is_stored_once_and_said_saved(
    context, logged_in, owner, live_server
):
    logged_in(owner)
    context.clock.install()
    page, errors = page_failing_only(context)
    controlled(page)
    today = owner.profile.today()
    day_url = f"{live_server.url}/day/{today}/"

    def lose_the_answer(route):
        if route.request.method != "POST":
            return route.continue_()
        if route.request.url == day_url:
            route.fetch()  # the server saves the mood; its answer never reaches the page
        route.abort()  # and the sends, the worker's too, cannot get through for now

    site = f"{live_server.url}/**"
    context.route(site, lose_the_answer)
    page.get_by_text("6", exact=True).click()
    page.get_by_role("button", name="Save mood").click()
    page.get_by_text(f"{KEPT}Mood 6 for today.").wait_for()
    assert DayEntry.objects.get(user=owner).mood == 6

    context.unroute(site, lose_the_answer)
    page.clock.fast_forward("00:16")
    page.get_by_text("Sent from this device: mood 6 for today.").wait_for()
    page.get_by_text("Saved: mood 6").wait_for()
    assert DayEntry.objects.filter(user=owner).count() == 1
    assert all(url == day_url or url.endswith(SEND_URL) for url in errors), errors


def test_an_entry_made_while_others_wait_is_sent_after_them(context, logged_in, owner, live_server):
    logged_in(owner)
    context.clock.install()
    page, errors = page_failing_only(context)
    controlled(page)
    today = owner.profile.today()
    handler = failing_posts("network")
    context.route(f"{live_server.url}/**", handler)
    page.get_by_label("What did you do?").fill("First act")
    page.get_by_role("button", name="Add").click()
    waiting_items(page).first.wait_for()
    context.unroute(f"{live_server.url}/**", handler)

    page.get_by_label("What did you do?").fill("Second act")
    page.get_by_role("button", name="Add").click()  # joins the queue, which is then sent
    page.locator(".kj-act-list").get_by_text("Second act").wait_for()
    acts = KindnessAct.objects.filter(user=owner, date=today).order_by("created_at")
    assert list(acts.values_list("description", flat=True)) == ["First act", "Second act"]
    assert queue_once_settled(page, owner) == []
    assert errors


def test_online_a_form_the_server_refuses_shows_its_errors_as_a_plain_post_does(
    page, logged_in, owner
):
    logged_in(owner)
    controlled(page)
    page.get_by_label("What did you do?").fill("   ")
    page.get_by_role("button", name="Add").click()
    error = page.locator("#id_description_error")
    error.wait_for()
    assert error.inner_text() == "Describe what you did."
    description = page.get_by_label("What did you do?")
    assert description.get_attribute("aria-invalid") == "true"
    assert description.get_attribute("aria-describedby") == "id_description_error"
    assert not waiting_items(page).count()
    assert not KindnessAct.objects.exists()


def test_online_a_saved_form_shows_the_servers_own_message(page, logged_in, owner):
    logged_in(owner)
    controlled(page)
    page.get_by_text("8", exact=True).click()
    page.get_by_role("button", name="Save mood").click()
    page.get_by_text("Saved mood 8 for today.").wait_for()
    assert DayEntry.objects.get(user=owner).mood == 8
    assert not waiting_items(page).count()


SESSION_ENDED = "Your session has ended, so this is kept on this device: "


@pytest.mark.parametrize(
    ("make", "kept", "sent"),
    [
        (
            "act",
            "“Phoned Gran” (Other) for today",
            "Sent from this device: “Phoned Gran” for today.",
        ),
        ("mood", "Mood 6 for today", "Sent from this device: mood 6 for today."),
    ],
)
def test_an_entry_saved_after_the_session_ended_is_kept_and_sent_once_after_logging_in(
    page, context, logged_in, owner, make, kept, sent
):
    logged_in(owner)
    controlled(page)
    context.clear_cookies(name=settings.SESSION_COOKIE_NAME)  # the session ends, page still open
    if make == "act":
        page.get_by_label("What did you do?").fill("Phoned Gran")
        page.get_by_role("button", name="Add").click()
    else:
        page.get_by_text("6", exact=True).click()
        page.get_by_role("button", name="Save mood").click()

    page.get_by_text(f"{SESSION_ENDED}{kept}. Log in again to send it.").wait_for()
    assert waiting_items(page).first.inner_text() == f"{kept}waiting to be sent"
    assert page.evaluate("location.pathname") == "/"  # still Today, not the log-in page
    assert len(page.evaluate("id => KindJournalQueue.waiting(id)", owner.pk)) == 1
    assert not KindnessAct.objects.exists()
    assert not DayEntry.objects.exists()

    page.locator("[data-kj-queue-status]").get_by_role("link", name="Log in").click()
    page.get_by_label("Username").fill(owner.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_text(sent).wait_for()
    assert queue_once_settled(page, owner) == []
    if make == "act":
        assert list(KindnessAct.objects.values_list("user", "description")) == [
            (owner.pk, "Phoned Gran")
        ]
    else:
        assert list(DayEntry.objects.values_list("user", "mood")) == [(owner.pk, 6)]


def test_a_save_whose_session_check_goes_unanswered_is_kept_and_not_stored_twice(
    context, logged_in, owner, live_server
):
    logged_in(owner)
    context.clock.install()
    session_url = f"{live_server.url}/offline/session/"
    page, errors = page_failing_only(context)
    controlled(page)
    # The act is saved, but the question "was that a save, or had the session ended?" fails,
    # and so do the page's sends until the connection comes back.
    unreachable = f"{live_server.url}/offline/**"
    context.route(unreachable, lambda route: route.abort())
    page.get_by_label("What did you do?").fill("Phoned Gran")
    page.get_by_role("button", name="Add").click()

    page.get_by_text(f"{KEPT}“Phoned Gran” (Other) for today.").wait_for()
    assert len(page.evaluate("id => KindJournalQueue.waiting(id)", owner.pk)) == 1
    assert KindnessAct.objects.filter(user=owner).count() == 1

    context.unroute(unreachable)
    page.clock.fast_forward("00:16")  # the page tries again by itself
    page.get_by_text("Sent from this device: “Phoned Gran” for today.").wait_for()
    assert queue_once_settled(page, owner) == []
    assert list(KindnessAct.objects.values_list("user", "description")) == [
        (owner.pk, "Phoned Gran")
    ]
    assert all(url.startswith(session_url) or url.endswith(SEND_URL) for url in errors), errors


def test_an_act_posted_from_a_page_older_than_the_last_log_in_is_kept_and_sent_once(
    context, logged_in, owner
):
    logged_in(owner)
    page, errors = page_failing_only(context)
    controlled(page)
    # Logging in again in another tab rotates the CSRF token: this page's form still holds
    # the old one, so its post is refused with a 403.
    context.clear_cookies(name=settings.SESSION_COOKIE_NAME)
    second_tab = context.new_page()
    second_tab.goto(page.url.rstrip("/") + "/accounts/login/")
    second_tab.get_by_label("Username").fill(owner.username)
    second_tab.get_by_label("Password").fill(PASSWORD)
    second_tab.get_by_role("button", name="Log in").click()
    second_tab.get_by_role("heading", name="Today").wait_for()
    second_tab.close()
    page.get_by_label("What did you do?").fill("Phoned Gran")
    page.get_by_role("button", name="Add").click()

    page.get_by_text("Sent from this device: “Phoned Gran” for today.").wait_for()
    assert page.evaluate("location.pathname") == "/"  # not a "CSRF verification failed" page
    assert queue_once_settled(page, owner) == []
    assert list(KindnessAct.objects.values_list("user", "description")) == [
        (owner.pk, "Phoned Gran")
    ]
    assert all(url.endswith(f"/day/{owner.profile.today()}/acts/") for url in errors), errors


def test_any_other_refusal_of_a_post_shows_the_servers_page_and_keeps_nothing(
    context, logged_in, owner, live_server
):
    logged_in(owner)
    page, errors = page_failing_only(context)
    controlled(page)
    acts_url = f"{live_server.url}/day/{owner.profile.today()}/acts/"
    context.route(
        acts_url,
        lambda route: route.fulfill(status=403, body="Refused by the firewall"),
    )
    page.get_by_label("What did you do?").fill("Phoned Gran")
    page.get_by_role("button", name="Add").click()
    page.get_by_text("Refused by the firewall").wait_for()  # as a plain form post shows it
    assert not KindnessAct.objects.exists()
    page.goto(f"{live_server.url}/")
    page.wait_for_load_state()
    assert page.evaluate("id => KindJournalQueue.waiting(id)", owner.pk) == []  # not resent


@pytest.mark.parametrize("how", ["offline", "unreachable"])
def test_log_out_needs_a_connection_and_says_so(context, logged_in, owner, live_server, how):
    logged_in(owner)
    page, errors = page_failing_only(context)
    controlled(page)
    logout_url = f"{live_server.url}/accounts/logout/"
    page.evaluate(
        "caches.keys().then(names => caches.open(names[0]))"
        ".then(cache => cache.put('/marker', new Response('x')))"
    )
    marker_gone = "caches.match('/marker').then(found => found === undefined)"
    if how == "offline":
        context.set_offline(True)  # the page stays open; only the connection goes
    else:
        context.route(logout_url, lambda route: route.abort())
    page.locator("form[data-kj-logout]").evaluate("form => form.requestSubmit()")

    page.get_by_text(NEEDS_CONNECTION).wait_for()
    assert page.locator("form[data-kj-logout]").count() == 1
    assert Session.objects.count() == 1
    assert page.evaluate("KindJournalQueue.lastAccount()")["id"] == owner.pk
    assert not page.evaluate(marker_gone)

    context.set_offline(False)
    context.unroute(logout_url)
    page.locator("form[data-kj-logout]").evaluate("form => form.requestSubmit()")
    page.get_by_role("link", name="Log in").first.wait_for()
    page.wait_for_load_state()
    assert Session.objects.count() == 0
    assert page.evaluate("KindJournalQueue.lastAccount()") is None
    assert page.evaluate(marker_gone)  # the worker's caches went with the session
    assert all(url.startswith(logout_url) for url in errors), errors


def test_log_out_offline_keeps_the_waiting_entries_until_it_can_reach_the_server(
    context, logged_in, owner
):
    logged_in(owner)
    page, _ = page_failing_only(context)
    controlled(page)
    yesterday = owner.profile.today() - datetime.timedelta(days=1)
    page.goto(f"/day/{yesterday}/")
    context.set_offline(True)
    page.get_by_label("What did you do?").fill("Watered Jo's plants")
    page.get_by_role("button", name="Add").click()
    waiting_items(page).first.wait_for()
    page.locator("form[data-kj-logout]").evaluate("form => form.requestSubmit()")
    page.get_by_text(NEEDS_CONNECTION).wait_for()  # not even asked: nothing can happen offline
    assert len(page.evaluate("id => KindJournalQueue.waiting(id)", owner.pk)) == 1
    assert Session.objects.count() == 1
