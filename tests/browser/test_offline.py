"""Offline logging in the real browser: the service worker keeps the offline Today page, entries
made without a connection wait in IndexedDB, and each reaches the journal once when the
connection is back (README, "Offline"). `context.set_offline(True)` also cuts the worker's
own fetches, so what answers offline is the worker's cache and nothing else."""

from kindjournal import cdn
from kindjournal.journal.models import DayEntry, KindnessAct

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


def rate_and_add_two_acts(page):
    page.get_by_text("7", exact=True).click()
    page.get_by_label("Note (private)").fill("Quiet day, offline words")
    page.get_by_role("button", name="Save mood").click()
    for description in ("Carried a neighbour's shopping", "Texted Sam"):
        page.get_by_label("What did you do?").fill(description)
        page.get_by_role("button", name="Add").click()
        waiting_items(page).filter(has_text=description).wait_for()


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
