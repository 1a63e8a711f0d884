"""Offline logging in the real browser: the service worker keeps the offline Today page, entries
made without a connection wait in IndexedDB, and each reaches the journal once when the
connection is back (README, "Offline"). `context.set_offline(True)` also cuts the worker's
own fetches, so what answers offline is the worker's cache and nothing else."""

import datetime

from django.contrib.sessions.models import Session
from playwright.sync_api import Error as PlaywrightError

from kindjournal import cdn
from kindjournal.journal.models import DayEntry, KindnessAct
from kindjournal.offline import worker
from tests.browser.conftest import (
    collect_console_errors,
    only_sends_failed,
    page_failing_only_sends,
    route_like_the_page_fixture,
    share_session,
    worker_registration_id,
)
from tests.conftest import PASSWORD
from tests.url_registry import SECRET

BANNER = "You're offline: entries are kept on this device and sent when you're back online"

WAIT_FOR_CONTROL = "navigator.serviceWorker.ready.then(() => !!navigator.serviceWorker.controller)"


def controlled(page):
    """Open Today, wait until the service worker has installed and controls the page."""
    page.goto("/")
    page.evaluate("navigator.serviceWorker.ready")
    if not page.evaluate("!!navigator.serviceWorker.controller"):
        page.reload()
    assert page.evaluate(WAIT_FOR_CONTROL)
    return page


def go_offline(context, page):
    context.set_offline(True)
    page.reload()
    page.get_by_text(BANNER).wait_for()


def elsewhere(requests, live_server):
    """Requests (the worker's included) to anyone but the site and the exact jsDelivr files."""
    allowed = {asset.url for asset in cdn.ASSETS.values()}
    return {url for url in requests if not url.startswith(live_server.url) and url not in allowed}


def back_online_on_the_servers_page(context, page):
    """Reconnect; the offline page tries to send, then gives way to the server's page."""
    context.set_offline(False)
    page.locator("[data-kj-shell]").wait_for(state="detached")
    page.wait_for_load_state("networkidle")


def queue_once_settled(page, owner):
    """The owner's waiting entries, read once the page has stopped reloading itself."""
    for _ in range(20):
        page.wait_for_load_state("networkidle")
        try:
            return page.evaluate("id => KindJournalQueue.waiting(id)", owner.pk)
        except PlaywrightError:  # the page's own reload after sending came in between
            page.wait_for_timeout(100)
    raise AssertionError("the page kept reloading")


def waiting_items(page):
    return page.locator("[data-kj-waiting-list] li")


def test_the_worker_installs_and_controls_every_page_from_the_site_root(page, logged_in, owner):
    logged_in(owner)
    controlled(page)
    scope = page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
    assert scope == page.url.split("?")[0].rstrip("/") + "/"
    page.goto("/history/")
    assert page.evaluate("!!navigator.serviceWorker.controller")


def test_today_opens_offline_on_the_persons_own_date_with_the_offline_banner(
    page, context, logged_in, owner
):
    owner.profile.time_zone = "Pacific/Kiritimati"  # UTC+14: often a day ahead of the machine
    owner.profile.save()
    logged_in(owner)
    controlled(page)
    go_offline(context, page)
    today = owner.profile.today()
    assert page.get_by_role("heading", level=1).inner_text() == "Today"
    assert page.get_by_text(f"{today:%A} {today.day} {today:%B %Y}").is_visible()
    assert page.get_by_role("radio", name="7").count() == 1
    assert page.get_by_label("What did you do?").is_visible()


def keep_act(page, description):
    """Add an act while offline and wait until the page lists it as waiting."""
    page.get_by_label("What did you do?").fill(description)
    page.get_by_role("button", name="Add").click()
    waiting_items(page).filter(has_text=description).wait_for()


def rate_and_add_two_acts(page):
    page.get_by_text("7", exact=True).click()
    page.get_by_label("Note (private)").fill("Quiet day, offline words")
    page.get_by_role("button", name="Save mood").click()
    for description in ("Carried a neighbour's shopping", "Texted Sam"):
        keep_act(page, description)


def test_offline_mood_and_acts_wait_then_reach_the_journal_once_when_back_online(
    page, context, logged_in, owner, live_server
):
    logged_in(owner)
    controlled(page)
    requests = []
    context.on("request", lambda request: requests.append(request.url))
    go_offline(context, page)

    rate_and_add_two_acts(page)
    assert waiting_items(page).count() == 3
    assert waiting_items(page).filter(has_text="waiting to be sent").count() == 3
    assert waiting_items(page).first.inner_text().startswith("Mood 7 for today, with a note")
    assert not DayEntry.objects.exists() and not KindnessAct.objects.exists()

    context.set_offline(False)  # fires `online`: the page sends, then shows the server's page
    page.get_by_text("Sent from this device: mood 7 for today.").wait_for()
    page.get_by_text("Sent from this device: “Texted Sam” for today.").wait_for()
    assert page.get_by_text("Saved: mood 7").is_visible()
    assert not page.locator("[data-kj-waiting]").is_visible()

    entry = DayEntry.objects.get(user=owner)
    today = owner.profile.today()
    assert (entry.date, entry.mood, entry.note) == (today, 7, "Quiet day, offline words")
    assert entry.recorded_on == today
    assert sorted(KindnessAct.objects.filter(user=owner).values_list("description", flat=True)) == [
        "Carried a neighbour's shopping",
        "Texted Sam",
    ]
    page.goto("/history/")
    row = page.locator("tbody tr")
    assert row.count() == 1
    assert [cell.inner_text() for cell in row.locator("td").all()][:2] == ["7", "2"]
    assert elsewhere(requests, live_server) == set()


def test_waiting_entries_survive_closing_the_browser(
    persistent_context, client, live_server, owner
):
    context = persistent_context.context
    share_session(context, client, live_server, owner)
    page = controlled(context.new_page())
    go_offline(context, page)
    page.get_by_text("6", exact=True).click()
    page.get_by_role("button", name="Save mood").click()
    waiting_items(page).first.wait_for()

    assert not DayEntry.objects.exists()  # the entry is only in the browser's IndexedDB

    # Back online after the restart, the worker's Background Sync or the page sends it:
    # either way it can only have come from what the browser kept on disk.
    context = persistent_context.relaunch()
    page = context.new_page()
    errors = collect_console_errors(page)
    page.goto("/")
    for _ in range(50):
        if DayEntry.objects.exists():
            break
        page.wait_for_timeout(100)
    page.reload()
    page.get_by_text("Saved: mood 6").wait_for()
    assert DayEntry.objects.get(user=owner).mood == 6
    assert page.evaluate("id => KindJournalQueue.waiting(id)", owner.pk) == []
    assert errors == []


def test_two_tabs_back_online_at_once_store_each_entry_once(page, context, logged_in, owner):
    logged_in(owner)
    controlled(page)
    other_tab = context.new_page()
    other_tab.goto("/")
    go_offline(context, page)
    other_tab.reload()
    rate_and_add_two_acts(page)
    other_tab.reload()  # both tabs now list the same three waiting entries
    waiting_items(other_tab).nth(2).wait_for()
    assert waiting_items(other_tab).count() == 3

    context.set_offline(False)  # `online` fires in both tabs together
    for tab in (page, other_tab):
        # Each tab shows the day as the server has it now, without a touch.
        tab.get_by_text("Saved: mood 7").wait_for()
        tab.locator(".kj-act-list").get_by_text("Texted Sam").wait_for()
        queue_once_settled(tab, owner)
    assert DayEntry.objects.filter(user=owner).count() == 1
    assert KindnessAct.objects.filter(user=owner).count() == 2
    # The server's answer for each entry is shown once, in one of the tabs, not in both.
    for answer in (
        "Sent from this device: mood 7 for today.",
        "Sent from this device: “Carried a neighbour's shopping” for today.",
        "Sent from this device: “Texted Sam” for today.",
    ):
        assert sum(tab.get_by_text(answer).count() for tab in (page, other_tab)) == 1, answer


def test_a_tab_left_open_shows_what_another_tab_sent_without_a_touch(
    context, logged_in, owner, live_server
):
    logged_in(owner)
    page, errors = page_failing_only_sends(context)
    controlled(page)
    go_offline(context, page)
    keep_act(page, "Fixed Ana's bike")
    # Back online, but this tab's own send cannot get through (it tries again later).
    context.route(f"{live_server.url}/offline/send/", lambda route: route.abort())
    back_online_on_the_servers_page(context, page)
    waiting_items(page).first.wait_for()
    context.unroute(f"{live_server.url}/offline/send/")

    other_tab = context.new_page()
    other_tab.goto("/")  # sends what waits, as every page load does
    other_tab.get_by_text("Sent from this device: “Fixed Ana's bike” for today.").wait_for()
    # The first tab, untouched, now shows the act as the day's own and nothing waiting.
    page.locator(".kj-act-list").get_by_text("Fixed Ana's bike").wait_for()
    assert not page.locator("[data-kj-waiting]").is_visible()
    assert page.get_by_text("Sent from this device").count() == 0
    assert KindnessAct.objects.filter(user=owner).count() == 1
    assert only_sends_failed(errors)


def test_an_entry_whose_answer_was_lost_is_stored_once_when_sent_again(
    context, logged_in, owner, live_server
):
    logged_in(owner)
    page, errors = page_failing_only_sends(context)
    controlled(page)
    go_offline(context, page)
    keep_act(page, "Made tea for the team")

    lost = []

    def lose_the_answer(route):
        # The server saves the act; its answer never reaches the page.
        lost.append(route.fetch().status)
        route.abort()

    context.route(f"{live_server.url}/offline/send/", lose_the_answer)
    back_online_on_the_servers_page(context, page)
    page.wait_for_timeout(500)
    # Sent (by the page, and by the worker's Background Sync), saved, answer lost every time.
    assert lost and set(lost) == {200}
    assert KindnessAct.objects.filter(user=owner).count() == 1
    assert waiting_items(page).count() == 1  # not known to be saved, so still waiting

    context.unroute(f"{live_server.url}/offline/send/", lose_the_answer)
    page.reload()  # the next page load sends it again
    # The server found the key and added nothing; the page says it is saved, once.
    saved = page.get_by_text("Sent from this device: “Made tea for the team” for today.")
    saved.wait_for()
    assert saved.count() == 1
    page.locator(".kj-act-list").get_by_text("Made tea for the team").wait_for()
    assert queue_once_settled(page, owner) == []
    assert KindnessAct.objects.filter(user=owner).count() == 1
    assert only_sends_failed(errors)


def test_a_mood_older_than_a_change_on_the_server_is_not_applied_and_the_page_says_so(
    page, context, logged_in, owner
):
    logged_in(owner)
    controlled(page)
    go_offline(context, page)
    page.get_by_text("4", exact=True).click()
    page.get_by_role("button", name="Save mood").click()
    waiting_items(page).first.wait_for()
    # Meanwhile, from another phone:
    today = owner.profile.today()
    DayEntry.objects.save_day(owner, today, 8, "from my other phone", recorded_on=today)

    context.set_offline(False)
    notice = page.get_by_text("Not applied: mood 4 for today, made on this device at")
    notice.wait_for()
    assert "so the journal keeps mood 8." in notice.inner_text()
    assert page.get_by_text("Saved: mood 8").is_visible()
    assert DayEntry.objects.get(user=owner).mood == 8


def test_an_expired_session_keeps_the_queue_until_the_person_logs_in(
    page, context, logged_in, owner
):
    logged_in(owner)
    controlled(page)
    go_offline(context, page)
    keep_act(page, "Walked the dog for Ana")
    Session.objects.all().delete()  # the session expires while the phone is offline

    context.set_offline(False)
    page.get_by_text("Log in again to send the 1 entry kept on this device.").wait_for()
    assert waiting_items(page).count() == 1
    assert not KindnessAct.objects.exists()

    page.get_by_role("link", name="Log in", exact=True).first.click()
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_text("Sent from this device: “Walked the dog for Ana” for today.").wait_for()
    assert KindnessAct.objects.filter(user=owner).count() == 1


def test_entries_are_never_sent_under_another_persons_session(
    context, logged_in, owner, stranger, client, live_server
):
    logged_in(owner)
    page, errors = page_failing_only_sends(context)
    controlled(page)
    go_offline(context, page)
    keep_act(page, "Owner's own act")
    context.clear_cookies()
    share_session(context, client, live_server, stranger)  # someone else logs in here
    back_online_on_the_servers_page(context, page)
    page.get_by_text("1 entry kept on this device for another account").wait_for()
    assert not page.get_by_text("Owner's own act").is_visible()

    # Even asked to, the device cannot save the owner's entry under this session.
    summary = page.evaluate(
        "account => KindJournalQueue.send({account, url: '/offline/send/',"
        " csrfToken: KindJournalQueue.csrfFromDocument})",
        owner.pk,
    )
    assert (summary["stopped"], summary["results"]) == ("other_account", [])
    assert len(page.evaluate("id => KindJournalQueue.waiting(id)", owner.pk)) == 1
    assert not KindnessAct.objects.exists()
    assert only_sends_failed(errors)


def test_log_out_asks_about_waiting_entries_then_clears_the_queue_and_the_caches(
    context, logged_in, owner, live_server
):
    logged_in(owner)
    page, errors = page_failing_only_sends(context)
    controlled(page)
    go_offline(context, page)
    page.get_by_text("5", exact=True).click()
    page.get_by_role("button", name="Save mood").click()
    waiting_items(page).first.wait_for()
    # Online again, but the server cannot be reached: the entry keeps waiting.
    context.route(f"{live_server.url}/offline/send/", lambda route: route.abort())
    back_online_on_the_servers_page(context, page)
    waiting_items(page).first.wait_for()
    page.evaluate(
        "caches.keys().then(names => caches.open(names[0]))"
        ".then(cache => cache.put('/marker', new Response('x')))"
    )

    log_out = page.locator("form[data-kj-logout]")
    with page.expect_event("dialog") as asked:
        # As pressing "Log out" in the menu does (the menu itself is tested elsewhere).
        log_out.evaluate("form => form.requestSubmit()")
    assert asked.value.message == (
        "1 entry has not been sent yet. Log out anyway? They will be deleted from this device."
    )
    asked.value.dismiss()
    page.wait_for_timeout(300)
    assert log_out.count() == 1  # still logged in
    assert len(page.evaluate("id => KindJournalQueue.waiting(id)", owner.pk)) == 1

    with page.expect_event("dialog") as asked:
        log_out.evaluate("form => form.requestSubmit()")
    asked.value.accept()
    page.get_by_role("link", name="Log in").first.wait_for()
    page.wait_for_load_state()  # the link is parsed before the page's deferred scripts run
    assert page.evaluate("id => KindJournalQueue.waiting(id)", owner.pk) == []
    assert page.evaluate("KindJournalQueue.lastAccount()") is None
    assert page.evaluate("caches.match('/marker').then(found => found === undefined)")
    assert not DayEntry.objects.exists()
    assert only_sends_failed(errors)


def test_cache_storage_holds_no_ones_data(page, context, logged_in, owner):
    today = owner.profile.today()
    DayEntry.objects.create(user=owner, date=today, mood=9, note=SECRET, recorded_on=today)
    KindnessAct.objects.create(user=owner, date=today, description=SECRET)
    logged_in(owner)
    controlled(page)
    for path in ("/", "/history/", f"/day/{today}/", "/insights/", "/accounts/settings/"):
        page.goto(path)
    stored = page.evaluate(
        """async () => {
          const texts = [];
          for (const name of await caches.keys()) {
            const cache = await caches.open(name);
            for (const request of await cache.keys()) {
              const response = await cache.match(request);
              texts.push(request.url + "\\n" + await response.text());
            }
          }
          return texts;
        }"""
    )
    assert any(text.split("\n", 1)[0].endswith("/offline/") for text in stored)
    assert all(SECRET not in text and "alice" not in text for text in stored)


def test_pages_that_need_the_server_say_so_offline(page, context, logged_in, owner):
    logged_in(owner)
    controlled(page)
    context.set_offline(True)
    for path, name in [
        ("/history/", "History"),
        ("/insights/", "Insights"),
        ("/export/", "Export"),
        ("/accounts/settings/", "Settings"),
    ]:
        page.goto(path)
        assert page.get_by_role("heading", level=1).inner_text() == name
        assert page.get_by_text(f"{name} needs a connection").is_visible()
        assert page.get_by_text(BANNER).is_visible()


def test_with_javascript_off_the_forms_post_as_before(browser, live_server, client, owner):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    route_like_the_page_fixture(context, live_server)
    share_session(context, client, live_server, owner)
    page = context.new_page()
    page.goto("/")
    page.get_by_text("3", exact=True).click()
    page.get_by_role("button", name="Save mood").click()
    page.get_by_text("Saved mood 3 for today.").wait_for()
    assert not page.get_by_text(BANNER).is_visible()
    context.close()
    assert DayEntry.objects.get(user=owner).mood == 3


def test_background_sync_sends_waiting_entries_with_no_page_open_to_send_them(
    page, context, logged_in, owner
):
    logged_in(owner)
    controlled(page)
    go_offline(context, page)
    keep_act(page, "Sent a card to Gran")
    page.goto("about:blank")  # no KindJournal page is left to send it
    context.set_offline(False)
    page.goto("/manifest.webmanifest")  # a document with no script, for the DevTools session

    cdp, registration_id = worker_registration_id(context, page)
    cdp.send(
        "ServiceWorker.dispatchSyncEvent",
        {
            "origin": page.url.split("/manifest")[0],
            "registrationId": registration_id,
            "tag": "kindjournal-send",
            "lastChance": False,
        },
    )
    for _ in range(50):
        if KindnessAct.objects.filter(user=owner).exists():
            break
        page.wait_for_timeout(100)
    assert list(KindnessAct.objects.filter(user=owner).values_list("description", flat=True)) == [
        "Sent a card to Gran"
    ]
    page.goto("/")
    page.locator(".kj-act-list").get_by_text("Sent a card to Gran").wait_for()
    assert page.evaluate("id => KindJournalQueue.waiting(id)", owner.pk) == []


def test_a_day_page_already_open_keeps_entries_when_the_connection_drops(
    page, context, logged_in, owner
):
    logged_in(owner)
    yesterday = owner.profile.today() - datetime.timedelta(days=1)
    controlled(page)
    page.goto(f"/day/{yesterday}/")
    context.set_offline(True)
    page.get_by_text(BANNER).wait_for()
    page.get_by_label("What did you do?").fill("Listened to Jo")
    page.get_by_role("button", name="Add").click()
    item = waiting_items(page).first
    item.wait_for()
    assert item.inner_text().startswith(
        f"“Listened to Jo” (Other) for {yesterday:%A} {yesterday.day} {yesterday:%B %Y}"
    )
    context.set_offline(False)
    page.get_by_text("Sent from this device: “Listened to Jo”").wait_for()
    assert KindnessAct.objects.get(user=owner).date == yesterday


def refused_items(page):
    return waiting_items(page).filter(has_text="Not saved: ")


def test_an_entry_the_server_refuses_stays_listed_with_what_was_typed_until_dismissed(
    context, logged_in, owner
):
    logged_in(owner)
    page, errors = page_failing_only_sends(context)  # the refusal is a 400
    controlled(page)
    go_offline(context, page)
    # Longer than an act keeps: a page whose limit was lifted (an older page, a browser that
    # ignores maxlength) lets the device keep it, and only the server can refuse it.
    description = ("Helped Lee carry boxes up four floors, " * 6).strip()
    page.get_by_label("What did you do?").evaluate("field => field.removeAttribute('maxlength')")
    keep_act(page, description)

    back_online_on_the_servers_page(context, page)
    refused = refused_items(page)
    refused.wait_for()
    assert refused.inner_text() == (
        f"Not saved: “{description}” (Other) for today — Ensure this value has at most 200 "
        f"characters (it has {len(description)}).Dismiss"
    )
    assert not page.locator("[data-kj-outcomes] .alert").count()  # said once, in the list
    assert queue_once_settled(page, owner) == []  # not waiting: never sent again
    assert not KindnessAct.objects.exists()
    page.reload()
    refused.wait_for()  # kept on the device until the person says so

    log_out = page.locator("form[data-kj-logout]")
    with page.expect_event("dialog") as asked:
        log_out.evaluate("form => form.requestSubmit()")
    assert asked.value.message == (
        "1 entry was not saved and is still listed. Log out anyway? They will be deleted from "
        "this device."
    )
    asked.value.dismiss()

    refused.get_by_role("button", name="Dismiss").click()
    refused.wait_for(state="detached")
    assert page.locator("[data-kj-waiting]").is_hidden()
    assert page.evaluate("id => KindJournalQueue.refused(id)", owner.pk) == []
    page.reload()
    assert not refused_items(page).count()
    assert only_sends_failed(errors)


def test_a_refused_mood_shows_its_note_and_the_reason(context, logged_in, owner):
    logged_in(owner)
    today = owner.profile.today()
    # A phone whose clock says 2200: no clock reading the server can believe.
    context.clock.install(time=datetime.datetime(2200, 1, 1, 12, tzinfo=datetime.UTC))
    page, errors = page_failing_only_sends(context)
    controlled(page)
    context.set_offline(True)
    page.get_by_text(BANNER).wait_for()
    page.get_by_text("4", exact=True).click()
    page.get_by_label("Note (private)").fill("Lee helped me\nall afternoon")
    page.get_by_role("button", name="Save mood").click()
    waiting_items(page).first.wait_for()

    context.set_offline(False)
    refused = refused_items(page)
    refused.wait_for()
    # The page's own "today" is the phone's (2200): the day is named by its date.
    assert refused.inner_text() == (
        f"Not saved: mood 4 for {today:%A} {today.day} {today:%B %Y}, with the note “Lee helped "
        "me\nall afternoon” — This device's clock gave a time that cannot be right: check its "
        "date and time.Dismiss"
    )
    assert queue_once_settled(page, owner) == []
    assert not DayEntry.objects.exists()
    assert only_sends_failed(errors)


def test_a_new_deploy_installs_a_new_worker_whose_cache_replaces_the_old(
    page, logged_in, owner, monkeypatch
):
    logged_in(owner)
    controlled(page)
    old = page.evaluate("caches.keys()")
    assert len(old) == 1
    # The next deploy keeps one file fewer (the live server runs in this process).
    monkeypatch.setattr(worker, "PRECACHED_STATIC", worker.PRECACHED_STATIC[:-1])
    page.evaluate("navigator.serviceWorker.ready.then(r => r.update())")
    for _ in range(50):
        names = page.evaluate("caches.keys()")
        if names != old and len(names) == 1:
            break
        page.wait_for_timeout(100)
    assert len(names) == 1 and names != old
    page.reload()
    assert page.evaluate("!!navigator.serviceWorker.controller")
