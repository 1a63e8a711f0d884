"""Sharing with a therapist: /share/ (create, list, revoke) and the link itself, /s/<token>/."""

import base64
import contextlib
import datetime
import hashlib
import io
import json
import logging
import re
from collections import Counter
from types import SimpleNamespace

import pytest
import time_machine
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kindjournal.accounts.models import Profile, RateLimitCount
from kindjournal.journal.models import DayEntry, KindnessAct
from kindjournal.sharing.clients import browser_family, network_of
from kindjournal.sharing.models import MAX_LINKS, ShareAccess, ShareLink, hash_token
from kindjournal.sharing.redact import RedactShareTokens
from tests.conftest import make_user
from tests.test_account_data import table_counts, table_text
from tests.threads import at_once
from tests.urlwalk import body

SHARE_URL = reverse("sharing:share")
D = datetime.date
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
URL_IN_PAGE = re.compile(r'value="(http://testserver/s/([A-Za-z0-9_-]+)/)"')
# The rate limit (4), the opening counted and logged (5), the profile, the report (the journal
# and Insights read): the same whatever the period holds.
QUERIES_PER_SHARED_PAGE = 17
# A clock far from any window edge of the hourly rate limit (minute 10).
NOON = datetime.datetime(2026, 6, 10, 12, 10, tzinfo=datetime.UTC)


def create(client, **fields):
    data = {"label": "Dr Lee", "period": "30", "expires_days": "7", **fields}
    return client.post(SHARE_URL, data)


def create_token(client, **fields):
    response = create(client, **fields)
    assert response.status_code == 200
    match = URL_IN_PAGE.search(body(response))
    assert match, body(response)
    return match.group(2)


def shared(token):
    return reverse("sharing:shared", args=[token])


def shared_csv(token):
    return reverse("sharing:shared_csv", args=[token])


def csv_text(response):
    return b"".join(response.streaming_content).decode("utf-8-sig")


@pytest.fixture
def journal(owner, today):
    """Moods on today, 10, 29, 30 and 95 days ago; a note and an act today."""
    for offset, mood in [(0, 8), (10, 6), (29, 5), (30, 4), (95, 2)]:
        day = today - datetime.timedelta(days=offset)
        DayEntry.objects.create(
            user=owner, date=day, mood=mood, note=f"note-{offset}", recorded_on=day
        )
    KindnessAct.objects.create(user=owner, date=today, description="Called my sister")
    return owner


@pytest.fixture
def therapist():
    """A browser with no cookies: nobody is logged in."""
    return Client(HTTP_USER_AGENT=FIREFOX, REMOTE_ADDR="203.0.113.77")


# Creating a link


def test_the_form_starts_with_notes_off_a_week_and_the_last_30_days(owner_client):
    page = body(owner_client.get(SHARE_URL))
    assert re.search(r'name="notes"(?![^>]*checked)[^>]*>', page)
    assert re.search(r'<option value="7" selected>7 days</option>', page)
    assert re.search(r'name="period" value="30"[^>]*checked', page)
    for label in ("Who is it for?", "Which days it shows", "From", "To", "Stops working after"):
        assert label in page
    assert "You have not shared anything." in page


def test_creating_a_link_shows_its_full_url_copy_button_and_qr_code_once(owner_client, owner):
    response = create(owner_client, label="Dr Lee", period="30", expires_days="30")
    page = body(response)
    url, token = URL_IN_PAGE.search(page).groups()
    assert url == f"http://testserver/s/{token}/"
    assert "Copy link" in page
    assert re.search(r'<img class="kj-qr" src="data:image/svg\+xml;[^"]+" alt="QR code', page)
    link = ShareLink.objects.get(user=owner)
    assert (link.label, link.period, link.start, link.end) == ("Dr Lee", "30", None, None)
    assert link.include_notes is False
    assert link.expires_at - link.created_at == datetime.timedelta(days=30)
    # Never again: the list shows the link, not its address, and the browser keeps no copy of
    # the page that showed it (back button, disk cache).
    assert "no-store" in response["Cache-Control"]
    assert token not in body(owner_client.get(SHARE_URL))


def test_a_fixed_period_with_notes_is_stored_as_chosen(owner_client, owner, today):
    start = today - datetime.timedelta(days=20)
    create_token(
        owner_client,
        period="fixed",
        start=start.isoformat(),
        end=today.isoformat(),
        notes="on",
        expires_days="1",
    )
    link = ShareLink.objects.get(user=owner)
    assert (link.period, link.start, link.end, link.include_notes) == ("fixed", start, today, True)
    assert link.expires_at - link.created_at == datetime.timedelta(days=1)


def test_the_token_has_256_bits_and_only_its_sha256_is_stored(owner_client, owner):
    tokens = [create_token(owner_client, label=f"Link {n}") for n in range(5)]
    assert len(set(tokens)) == 5
    for token in tokens:
        assert len(base64.urlsafe_b64decode(token + "=")) == 32
    assert sorted(ShareLink.objects.values_list("token_hash", flat=True)) == sorted(
        hashlib.sha256(token.encode()).hexdigest() for token in tokens
    )
    stored = table_text()
    assert not any(token in stored for token in tokens)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"label": ""}, "label", "Give the link a name"),
        ({"label": "x" * 101}, "label", "at most 100 characters"),
        ({"period": "365"}, "period", "Choose dates, the last 30 days or the last 90 days."),
        ({"expires_days": "365"}, "expires_days", "Choose 1, 7, 30 or 90 days."),
        ({"expires_days": "91"}, "expires_days", "Choose 1, 7, 30 or 90 days."),
        ({"notes": "maybe"}, "notes", "Tick the box to include notes, or leave it unticked."),
        ({"expires_days": ""}, "expires_days", "Choose when the link stops working."),
        ({"period": "fixed"}, "start", "Enter the date as YYYY-MM-DD"),
        ({"period": "fixed", "start": "2025-02-30", "end": "2025-03-01"}, "start", "YYYY-MM-DD"),
        (
            {"period": "fixed", "start": "2025-03-09", "end": "2025-03-01"},
            "end",
            "before the start",
        ),
        ({"period": "fixed", "start": "2025-03-01", "end": "2999-01-01"}, "end", "in the future"),
        (
            {"period": "fixed", "start": "1999-12-31", "end": "2025-03-01"},
            "start",
            "from 1 January 2000",
        ),
    ],
)
def test_bad_input_is_explained_at_its_field_and_creates_nothing(
    owner_client, owner, fields, field, message
):
    response = create(owner_client, **fields)
    assert response.status_code == 200
    page = body(response)
    assert message in page
    # The message sits in the field's own error block, and the field is marked invalid.
    error = re.search(rf'<div id="id_{field}_error"[^>]*>(.*?)</div>', page, re.DOTALL)
    assert error and message in error.group(1), page
    assert re.search(rf'<[^>]*name="{field}"[^>]*aria-invalid="true"', page)
    assert not URL_IN_PAGE.search(page)
    assert not ShareLink.objects.exists()


@pytest.mark.parametrize(("sent", "included"), [("on", True), ("off", False), ("0", False)])
def test_notes_are_included_only_when_the_box_is_ticked(owner_client, owner, sent, included):
    create_token(owner_client, notes=sent)
    assert ShareLink.objects.get(user=owner).include_notes is included


def test_dates_sent_with_a_rolling_period_are_ignored(owner_client, owner):
    create_token(owner_client, period="90", start="nonsense", end="2025-01-01")
    link = ShareLink.objects.get(user=owner)
    assert (link.period, link.start, link.end) == ("90", None, None)


def test_the_same_form_sent_twice_creates_one_link(owner_client, owner):
    page = body(owner_client.get(SHARE_URL))
    key = re.search(r'name="submission_key" value="([0-9a-f-]+)"', page).group(1)
    first = create(owner_client, submission_key=key)
    second = create(owner_client, submission_key=key)
    assert URL_IN_PAGE.search(body(first))
    assert not URL_IN_PAGE.search(body(second))
    assert "was created a moment ago, from this same form" in body(second)
    assert ShareLink.objects.filter(user=owner).count() == 1


def test_a_person_keeps_at_most_the_limit_of_links(owner_client, owner):
    for n in range(MAX_LINKS):
        ShareLink.objects.create_link(
            owner, label=f"L{n}", period="30", start=None, end=None, notes=False, expires_days=1
        )
    response = create(owner_client)
    assert f"You have {MAX_LINKS} links, the most you can keep." in body(response)
    assert ShareLink.objects.filter(user=owner).count() == MAX_LINKS


@pytest.mark.django_db(transaction=True)
def test_forms_sent_at_once_cannot_pass_the_limit_of_links(settings):
    settings.KINDJOURNAL_BASE_URL = "http://testserver"
    owner = make_user("alice")
    for n in range(MAX_LINKS - 1):
        ShareLink.objects.create_link(
            owner, label=f"L{n}", period="30", start=None, end=None, notes=False, expires_days=1
        )
    devices = [Client() for _ in range(6)]
    for device in devices:
        device.force_login(owner)
    pages = at_once(
        *(
            lambda device=device, n=n: body(create(device, label=f"Tab {n}"))
            for n, device in enumerate(devices)
        )
    )
    created = sum(bool(URL_IN_PAGE.search(page)) for page in pages)
    assert created == 1, (created, ShareLink.objects.filter(user=owner).count())
    assert sum(f"You have {MAX_LINKS} links" in page for page in pages) == 5
    assert ShareLink.objects.filter(user=owner).count() == MAX_LINKS


def test_the_url_is_built_from_the_base_url_not_the_host_header(owner_client, settings):
    settings.KINDJOURNAL_BASE_URL = "https://journal.example.org"
    settings.ALLOWED_HOSTS = ["testserver", "evil.example"]
    response = owner_client.post(
        SHARE_URL,
        {"label": "Dr Lee", "period": "30", "expires_days": "7"},
        HTTP_HOST="evil.example",
    )
    assert re.search(r'value="https://journal\.example\.org/s/[A-Za-z0-9_-]{43}/"', body(response))
    assert "evil.example" not in body(response)


def test_without_a_base_url_only_debug_uses_the_request_address(owner_client, owner, settings):
    settings.KINDJOURNAL_BASE_URL = ""
    response = create(owner_client)
    assert response.status_code == 503
    assert "has not set the address it is reached at (KINDJOURNAL_BASE_URL)" in body(response)
    assert not ShareLink.objects.exists()
    settings.DEBUG = True
    assert URL_IN_PAGE.search(body(create(owner_client)))


@pytest.mark.parametrize("page", ["exports:export", "account_settings"])
def test_the_export_and_settings_pages_lead_to_sharing(owner_client, page):
    assert f'href="{SHARE_URL}"' in body(owner_client.get(reverse(page)))


# The list and revoking


def test_the_list_shows_each_link_with_its_period_notes_dates_and_openings(
    owner_client, owner, therapist, journal
):
    token = create_token(owner_client, label="Dr Lee", notes="on")
    create_token(owner_client, label="Clinic", period="fixed", start="2025-03-01", end="2025-03-31")
    therapist.get(shared(token))
    therapist.get(shared_csv(token))
    page = body(owner_client.get(SHARE_URL))
    page = page[page.index('id="links-heading"') :]
    assert page.index("Clinic") < page.index("Dr Lee")  # newest first
    assert "the last 30 days, up to the day it is opened" in page
    assert "1 Mar 2025 to 31 Mar 2025" in page
    assert "included" in page and "not included" in page
    lee = page[page.index("Dr Lee") :]
    assert re.search(r"<dt>Times opened</dt><dd>2</dd>", lee)
    assert "Access log (2 openings)" in lee
    assert "203.0.113.0/24" in lee and "Firefox" in lee
    assert "CSV download" in lee and "Report page" in lee
    assert "203.0.113.77" not in page  # the network, never the address


def test_revoking_takes_effect_on_the_next_request(owner_client, owner, therapist, journal):
    token = create_token(owner_client)
    assert therapist.get(shared(token)).status_code == 200
    link = ShareLink.objects.get(user=owner)
    response = owner_client.post(link.get_revoke_url(), follow=True)
    assert "The link for Dr Lee is revoked: it no longer opens." in body(response)
    assert therapist.get(shared(token)).status_code == 404
    assert therapist.get(shared_csv(token)).status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is not None and link.times_opened == 1
    page = body(owner_client.get(SHARE_URL))
    assert "Revoked" in page and "Revoke <span" not in page
    # Again (another tab): nothing changes, and the person is told.
    revoked_at = link.revoked_at
    again = owner_client.post(link.get_revoke_url(), follow=True)
    assert "was already revoked" in body(again)
    link.refresh_from_db()
    assert link.revoked_at == revoked_at


def test_revoke_takes_only_post(owner_client, owner):
    create_token(owner_client)
    link = ShareLink.objects.get()
    assert owner_client.get(link.get_revoke_url()).status_code == 405
    link.refresh_from_db()
    assert link.revoked_at is None


def test_a_stranger_cannot_revoke_or_see_someone_elses_link(owner_client, owner, stranger):
    create_token(owner_client, label="Dr Quill")
    link = ShareLink.objects.get()
    other = Client()
    other.force_login(stranger)
    assert other.post(link.get_revoke_url()).status_code == 404
    assert "Dr Quill" not in body(other.get(SHARE_URL))
    link.refresh_from_db()
    assert link.revoked_at is None


# The shared page


def test_the_shared_page_shows_the_report_headed_with_the_display_name(
    owner_client, owner, therapist, journal, today
):
    owner.profile.display_name = "Sam K."
    owner.profile.save()
    token = create_token(owner_client)
    response = therapist.get(shared(token))
    page = body(response)
    expires = ShareLink.objects.get().expires_at
    assert f"Shared by Sam K., valid until {expires:%-d %B %Y}" in page
    assert "Mood and kindness report: Sam K." in page
    assert '<meta name="robots" content="noindex">' in page
    assert f'href="{shared_csv(token)}"' in page
    assert "Called my sister" in page
    # No way into the rest of the app, and never the username.
    assert not re.search(r'href="/(?!static/|s/)', page)
    assert "alice" not in page
    assert "note-0" not in page  # notes were not included


def test_without_a_display_name_the_person_is_a_kindjournal_user(owner_client, therapist, journal):
    token = create_token(owner_client)
    page = body(therapist.get(shared(token)))
    assert "Shared by a KindJournal user, valid until" in page
    assert "alice" not in page


def test_a_visitor_writes_nothing_of_the_owners_not_even_a_missing_profile(
    owner_client, owner, therapist, journal
):
    # An account made in the admin or with createsuperuser has no profile row until it is
    # used; the visitor's page reads the defaults instead of creating one, so it cannot race
    # the owner deleting the account.
    token = create_token(owner_client)
    Profile.objects.filter(user=owner).delete()
    page = body(therapist.get(shared(token)))
    assert "Shared by a KindJournal user, valid until" in page
    assert "Called my sister" in page
    assert not Profile.objects.filter(user=owner).exists()


def test_notes_are_shown_only_when_the_link_includes_them(owner_client, therapist, journal):
    without = create_token(owner_client)
    with_notes = create_token(owner_client, notes="on")
    assert "note-0" not in body(therapist.get(shared(without)))
    assert "note-0" in body(therapist.get(shared(with_notes)))
    plain = csv_text(therapist.get(shared_csv(without)))
    noted = csv_text(therapist.get(shared_csv(with_notes)))
    assert plain.startswith("date,weekday,mood,acts_count,acts,recorded_on\r\n")
    assert noted.startswith("date,weekday,mood,acts_count,acts,recorded_on,note\r\n")
    assert "note-0" not in plain and "note-0" in noted


def test_the_csv_is_the_export_csv_of_the_links_period(owner_client, therapist, journal, today):
    token = create_token(owner_client, notes="on")
    response = therapist.get(shared_csv(token))
    start = today - datetime.timedelta(days=29)
    assert (
        response["Content-Disposition"] == f'attachment; filename="kindjournal_{start}_{today}.csv"'
    )
    own = owner_client.get(
        reverse("exports:csv"), {"start": start.isoformat(), "end": today.isoformat(), "notes": "1"}
    )
    assert csv_text(response) == csv_text(own)


def test_a_rolling_period_moves_with_the_day_it_is_opened(owner_client, therapist, journal, today):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        token = create_token(owner_client, period="30", expires_days="30")
        rows = csv_text(therapist.get(shared_csv(token))).splitlines()[1:]
        assert [row[:10] for row in rows] == [
            str(today - datetime.timedelta(days=29)),
            str(today - datetime.timedelta(days=10)),
            str(today),
        ]
        clock.shift(datetime.timedelta(days=10))
        later = csv_text(therapist.get(shared_csv(token))).splitlines()[1:]
        assert [row[:10] for row in later] == [str(today - datetime.timedelta(days=10)), str(today)]


def test_a_rolling_period_ends_on_the_persons_own_date(owner_client, owner, therapist):
    owner.profile.time_zone = "Pacific/Kiritimati"  # UTC+14: already 11 June at 12:10 UTC
    owner.profile.save()
    local_today = D(2026, 6, 11)
    DayEntry.objects.create(user=owner, date=local_today, mood=7, recorded_on=local_today)
    with time_machine.travel(NOON, tick=False):
        token = create_token(owner_client, period="30")
        response = therapist.get(shared_csv(token))
        page = body(therapist.get(shared(token)))
    disposition = 'attachment; filename="kindjournal_2026-05-13_2026-06-11.csv"'
    assert response["Content-Disposition"] == disposition
    assert csv_text(response).splitlines()[1].startswith("2026-06-11,Thursday,7,")
    assert "13 May 2026 to 11 June 2026" in page
    assert "Generated on 11 June 2026" in page
    # The time it stops working, as the person lives it (NOON + 7 days, in UTC+14).
    assert "valid until 18 June 2026, 02:10" in page


def test_the_shared_chart_holds_nothing_from_before_the_period(owner_client, owner, therapist):
    start = D(2026, 6, 1)
    for day, mood in [(D(2026, 5, 29), 1), (D(2026, 5, 30), 1), (D(2026, 5, 31), 1), (start, 9)]:
        DayEntry.objects.create(user=owner, date=day, mood=mood, recorded_on=day)
    with time_machine.travel(NOON, tick=False):
        token = create_token(owner_client, period="fixed", start="2026-06-01", end="2026-06-05")
        page = body(therapist.get(shared(token)))
    data = re.search(r'<script id="mood-chart-data" type="application/json">(.*?)</script>', page)
    series = json.loads(data.group(1))["series"]
    # The 7-day averages of the first days use the period's own moods only: the 1s of the
    # days before, which the person did not share, cannot be worked out from them.
    assert [day["mood_avg7"] for day in series] == [9, 9, 9, 9, 9]


def test_a_fixed_period_stays_put(owner_client, therapist, journal, today):
    start, end = today - datetime.timedelta(days=30), today - datetime.timedelta(days=10)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        token = create_token(
            owner_client, period="fixed", start=start.isoformat(), end=end.isoformat()
        )
        clock.shift(datetime.timedelta(days=5))
        rows = csv_text(therapist.get(shared_csv(token))).splitlines()[1:]
    assert [row[:10] for row in rows] == [
        str(start),
        str(today - datetime.timedelta(days=29)),
        str(end),
    ]


def test_a_link_expires_at_its_time_exactly(owner_client, therapist, journal):
    with time_machine.travel(NOON, tick=False) as clock:
        token = create_token(owner_client, expires_days="1")
        clock.shift(datetime.timedelta(hours=23, minutes=59))
        assert therapist.get(shared(token)).status_code == 200
        clock.shift(datetime.timedelta(minutes=1))
        assert therapist.get(shared(token)).status_code == 404
        assert therapist.get(shared_csv(token)).status_code == 404
        assert "Expired" in body(owner_client.get(SHARE_URL))
    assert ShareLink.objects.get().times_opened == 1


def test_unknown_expired_and_revoked_tokens_get_the_same_404(owner_client, owner, journal):
    with time_machine.travel(NOON, tick=False) as clock:
        expired = create_token(owner_client, expires_days="1")
        revoked = create_token(owner_client)
        owner_client.post(ShareLink.objects.get(token_hash=hash_token(revoked)).get_revoke_url())
        clock.shift(datetime.timedelta(days=2))
        answers, heads = [], []
        for token in (expired, revoked, "A" * 43, "x"):
            for url in (shared(token), shared_csv(token)):
                response = Client().get(url)
                answers.append(
                    (response.status_code, response.content, sorted(response.headers.items()))
                )
                head = Client().head(url)
                heads.append((head.status_code, sorted(head.headers.items())))
    # Addresses under /s/ that name no link at all get the same page (not the app's own 404,
    # with its way into the app).
    for url in ("/s/", f"/s/{expired}/other/", "/s/x/csv/more/"):
        response = Client().get(url)
        answers.append((response.status_code, response.content, sorted(response.headers.items())))
    assert len(set(map(repr, answers))) == 1
    status, content, headers = answers[0]
    assert status == 404
    assert "This link does not open" in content.decode()
    # A HEAD gets the same status and headers, Content-Length included, without the body.
    assert set(map(repr, heads)) == {repr((404, headers))}
    # Elsewhere, the app's own 404 page.
    assert "There is nothing here" in body(Client().get("/nowhere/"))


SHARED_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
    "Cache-Control": "no-store",
}


def test_every_response_under_s_sends_the_privacy_headers_and_a_strict_policy(
    owner_client, journal, settings
):
    token = create_token(owner_client)
    anonymous = Client()
    responses = {
        "page": anonymous.get(shared(token)),
        "csv": anonymous.get(shared_csv(token)),
        "unknown": anonymous.get(shared("A" * 43)),
        "post": anonymous.post(shared(token)),
        "put": anonymous.put(shared_csv(token)),
        "options": anonymous.options(shared(token)),
        "head": anonymous.head(shared(token)),
        "head csv": anonymous.head(shared_csv(token)),
        "no token": anonymous.get("/s/"),
        "deeper": anonymous.get(f"/s/{token}/other/"),
        # Redirected to add the slash, by middleware that runs before any view.
        "no slash": anonymous.get(f"/s/{token}"),
        "csv no slash": anonymous.get(f"/s/{token}/csv"),
    }
    settings.SHARE_RATE = (1, 3600)
    responses["limited"] = anonymous.get(shared(token))
    assert {name: r.status_code for name, r in responses.items()} == {
        "page": 200,
        "csv": 200,
        "unknown": 404,
        "post": 405,
        "put": 405,
        "options": 405,
        "head": 200,
        "head csv": 200,
        "no token": 404,
        "deeper": 404,
        "no slash": 301,
        "csv no slash": 301,
        "limited": 429,
    }
    for name, response in responses.items():
        for header, value in SHARED_HEADERS.items():
            assert response[header] == value, (name, header)
        policy = dict(
            part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
        )
        assert policy["default-src"] == "'none'", name
        assert policy["form-action"] == "'none'" and policy["frame-ancestors"] == "'none'"
        assert policy["script-src"] == (
            "'self' https://cdn.jsdelivr.net/npm/chart.js@4.6.1/dist/chart.umd.min.js"
        )
        assert "connect-src" not in policy  # so default-src 'none' forbids any fetch
    # The app's own pages keep their usual referrer policy.
    assert owner_client.get(SHARE_URL)["Referrer-Policy"] == "same-origin"


def test_robots_txt_keeps_crawlers_out_of_shared_links(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain"
    assert response.content.decode() == "User-agent: *\nDisallow: /s/\n"


def test_a_head_request_is_answered_like_a_get_but_is_not_an_opening(
    owner_client, therapist, journal
):
    token = create_token(owner_client)
    for url in (shared(token), shared_csv(token)):
        head = therapist.head(url)
        get = therapist.get(url)
        assert head.status_code == get.status_code == 200
        for header in ("Content-Type", "Content-Disposition", *SHARED_HEADERS):
            assert head.get(header) == get.get(header), header
    link = ShareLink.objects.get()
    assert link.times_opened == 2
    assert list(ShareAccess.objects.order_by("pk").values_list("kind", flat=True)) == [
        "page",
        "csv",
    ]


# The access log


def test_each_opening_is_logged_page_and_csv_apart(owner_client, journal):
    token = create_token(owner_client)
    ipv6 = Client(
        REMOTE_ADDR="2001:db8:abcd:12::7",
        HTTP_USER_AGENT="Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) "
        "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
    )
    ipv4 = Client(REMOTE_ADDR="198.51.100.23", HTTP_USER_AGENT=FIREFOX)
    ipv6.get(shared(token))
    # The CSV's opening is stored before a byte of it is read.
    response = ipv4.get(shared_csv(token))
    assert list(ShareAccess.objects.order_by("pk").values_list("kind", "network", "browser")) == [
        ("page", "2001:db8:abcd::/48", "Mobile Safari"),
        ("csv", "198.51.100.0/24", "Firefox"),
    ]
    csv_text(response)
    Client(REMOTE_ADDR="198.51.100.24", HTTP_USER_AGENT="").get(shared(token))
    assert ShareAccess.objects.order_by("pk").last().browser == "Unknown browser"
    link = ShareLink.objects.get()
    assert link.times_opened == 3
    assert link.last_opened_at == ShareAccess.objects.order_by("pk").last().opened_at


def test_behind_a_proxy_the_clients_network_is_logged(owner_client, journal, settings):
    settings.PROXY_COUNT = 1
    token = create_token(owner_client)
    Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.200").get(shared(token))
    assert ShareAccess.objects.get().network == "192.0.2.0/24"


def test_a_failed_lookup_logs_nothing(owner_client, journal):
    token = create_token(owner_client)
    Client().get(shared(token[:-1] + "Z" if token[-1] != "Z" else token[:-1] + "Y"))
    assert not ShareAccess.objects.exists()
    assert ShareLink.objects.get().times_opened == 0


# The rate limit


@pytest.mark.django_db(transaction=True)
def test_thirty_requests_at_once_from_one_address_get_no_more_than_the_limit(settings):
    settings.SHARE_RATE = (10, 3600)
    owner = make_user("alice")
    _, token = ShareLink.objects.create_link(
        owner, label="Dr Lee", period="30", start=None, end=None, notes=False, expires_days=7
    )
    with time_machine.travel(NOON, tick=False):
        outcomes = at_once(
            *(lambda: Client(REMOTE_ADDR="203.0.113.5").get(shared(token)).status_code,) * 30
        )
    assert Counter(outcomes) == {200: 10, 429: 20}, outcomes
    assert ShareLink.objects.get().times_opened == 10
    assert ShareAccess.objects.count() == 10


def test_the_limit_counts_guesses_and_is_per_address(owner_client, journal, settings):
    settings.SHARE_RATE = (3, 3600)
    token = create_token(owner_client)
    guesser = Client(REMOTE_ADDR="198.51.100.9")
    with time_machine.travel(NOON, tick=False):
        assert [guesser.get(shared(f"guess{n}")).status_code for n in range(4)] == [404] * 3 + [429]
        refused = guesser.get(shared(token))  # even the right token, now
        assert refused.status_code == 429
        assert "opened too many times from this network" in body(refused)
        assert Client(REMOTE_ADDR="198.51.100.10").get(shared(token)).status_code == 200
    assert ShareLink.objects.get().times_opened == 1


def test_forged_forwarded_for_and_fresh_ipv6_addresses_share_one_limit(db, settings):
    settings.SHARE_RATE = (3, 3600)
    settings.PROXY_COUNT = 1
    with time_machine.travel(NOON, tick=False):
        # Behind our one proxy: whatever the client writes to the left of its own address.
        forged = [
            Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.5")
            .get(shared(f"g{n}"))
            .status_code
            for n in range(4)
        ]
        # A new address of one IPv6 /64 for each request.
        fresh = [
            Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"2001:db8:1:2::{n:x}")
            .get(shared(f"h{n}"))
            .status_code
            for n in range(4)
        ]
    assert forged == fresh == [404, 404, 404, 429]


def test_the_window_slides_the_previous_hour_still_counts_in_part(db, settings):
    settings.SHARE_RATE = (10, 3600)
    hour = datetime.datetime(2026, 6, 10, 12, 0, tzinfo=datetime.UTC)
    with time_machine.travel(hour + datetime.timedelta(minutes=50), tick=False) as clock:
        guesser = Client(REMOTE_ADDR="198.51.100.9")
        assert [guesser.get(shared(f"g{n}")).status_code for n in range(10)] == [404] * 10
        # Fifteen minutes on, in the next hour: three quarters of the last hour's ten still
        # count (7.5), so two more are allowed, not ten.
        clock.move_to(hour + datetime.timedelta(minutes=75))
        statuses = [guesser.get(shared(f"h{n}")).status_code for n in range(4)]
        assert statuses == [404, 404, 429, 429]
        # Two hours on, nothing of those counts.
        clock.move_to(hour + datetime.timedelta(minutes=190))
        assert guesser.get(shared("late")).status_code == 404
    assert RateLimitCount.objects.filter(scope="share").count() <= 2


def refused_until(retry_after, *clients):
    """Each client's status one second before `retry_after` and then at it, from the moment of
    the refusal that sent it (the clients having made the same requests until then)."""
    statuses = []
    with time_machine.travel(timezone.now(), tick=False) as clock:
        clock.shift(datetime.timedelta(seconds=int(retry_after) - 1))
        statuses.append(clients[0].get(shared("late")).status_code)
        clock.shift(datetime.timedelta(seconds=1))
        statuses.append(clients[1].get(shared("late")).status_code)
    return statuses


def test_a_refusal_says_when_to_come_back_within_the_hour(db, settings):
    settings.SHARE_RATE = (10, 3600)
    hour = datetime.datetime(2026, 6, 10, 12, 0, tzinfo=datetime.UTC)
    one, two = Client(REMOTE_ADDR="198.51.100.9"), Client(REMOTE_ADDR="198.51.100.10")
    with time_machine.travel(hour + datetime.timedelta(minutes=50), tick=False) as clock:
        for client in (one, two):
            [client.get(shared(f"g{n}")) for n in range(10)]
        clock.move_to(hour + datetime.timedelta(minutes=75))
        for client in (one, two):
            [client.get(shared(f"h{n}")) for n in range(2)]
            refused = client.get(shared("h3"))
        # 3 of this hour, and the last hour's 10 weighing less each minute: at 13:24 the
        # fourth fits (4 + 10 x 0.6 = 10).
        assert refused.status_code == 429
        assert refused["Retry-After"] == "540"
        assert "Please try again in 9 minutes." in body(refused)
        assert refused_until(refused["Retry-After"], one, two) == [429, 404]


def test_a_refusal_after_many_requests_says_when_to_come_back_in_the_next_hour(db, settings):
    settings.SHARE_RATE = (3, 3600)
    one, two = Client(REMOTE_ADDR="198.51.100.9"), Client(REMOTE_ADDR="198.51.100.10")
    with time_machine.travel(NOON, tick=False):
        for client in (one, two):
            statuses = [client.get(shared(f"g{n}")).status_code for n in range(4)]
        assert statuses == [404, 404, 404, 429]
        refused = two.get(shared("g5"))
        # Five requests at 12:10, the refused ones counted: at 13:00 they still weigh 5, at
        # 13:36 they weigh 2 (5 x 0.4), and a third request fits.
        assert refused["Retry-After"] == "5160"
        assert "Please try again in 86 minutes." in body(refused)
        one.get(shared("g5"))
        assert refused_until(refused["Retry-After"], one, two) == [429, 404]


# Logs


@contextlib.contextmanager
def filtered_log(name):
    """What logger `name` writes through a handler with the settings' filter, as text."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactShareTokens())
    logger = logging.getLogger(name)
    logger.addHandler(handler)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)


def test_django_logs_write_no_token(owner_client, journal):
    token = create_token(owner_client)
    ShareLink.objects.update(revoked_at=timezone.now())
    with filtered_log("django.request") as log:
        assert Client().get(shared(token)).status_code == 404
    assert log.getvalue() == "Not Found: /s/[token]/\n"


def test_a_logged_traceback_is_redacted_too():
    with filtered_log("tests.sharing.traceback") as log:
        try:
            raise ValueError("no page at /s/SeCrEt-token/")
        except ValueError:
            logging.getLogger("tests.sharing.traceback").exception(
                "Internal Server Error: %s", "/s/SeCrEt-token/csv/"
            )
    text = log.getvalue()
    assert "SeCrEt" not in text
    assert text.startswith("Internal Server Error: /s/[token]/csv/\nTraceback")
    assert "ValueError: no page at /s/[token]/" in text


def test_the_logging_settings_filter_every_console_line():
    from django.conf import settings

    console = settings.LOGGING["handlers"]["console"]
    assert console["filters"] == ["share_tokens"]
    assert settings.LOGGING["loggers"]["django.server"]["handlers"] == ["console"]
    record = logging.LogRecord(
        "x", logging.INFO, "", 0, '"%s" %s', ("GET /s/abc-DEF_1/csv/ HTTP/1.1", 200), None
    )
    RedactShareTokens().filter(record)
    assert record.getMessage() == '"GET /s/[token]/csv/ HTTP/1.1" 200'


def gunicorn_logger(**settings):
    from gunicorn.config import Config

    from kindjournal.sharing.gunicorn_log import RedactingLogger

    config = Config()
    for name, value in settings.items():
        config.set(name, value)
    return RedactingLogger(config)


def flushed_text(logger, path):
    for log in (logger.access_log, logger.error_log):
        for handler in log.handlers:
            handler.flush()
    return path.read_text()


def test_gunicorns_access_log_writes_no_token(tmp_path):
    log_file = tmp_path / "access.log"
    logger = gunicorn_logger(
        accesslog=str(log_file),
        access_log_format='%(h)s "%(r)s" %(s)s %(U)s %(f)s %({X-Forwarded-For}i)s',
    )
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/s/SeCrEt-token_1/csv/?x=1",
        "PATH_INFO": "/s/SeCrEt-token_1/csv/",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.4",
        "HTTP_REFERER": "https://journal.example.org/s/SeCrEt-token_1/",
    }
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    logger.access(response, SimpleNamespace(headers=[]), environ, datetime.timedelta(seconds=0))
    line = flushed_text(logger, log_file)
    assert "SeCrEt" not in line
    assert line == (
        '203.0.113.4 "GET /s/[token]/csv/?x=1 HTTP/1.1" 200 /s/[token]/csv/ '
        "https://journal.example.org/s/[token]/ -\n"  # a header not sent is "-", as in gunicorn
    )


def test_gunicorns_error_log_writes_no_token(tmp_path):
    log_file = tmp_path / "error.log"
    logger = gunicorn_logger(errorlog=str(log_file))
    # What a gunicorn worker writes when a response fails part way (a CSV being streamed).
    try:
        raise OSError("stream broken")
    except OSError:
        logger.exception("Error handling request %s %s", "GET", "/s/SeCrEt-token_1/csv/")
    logger.warning("Invalid request from ip=203.0.113.4: 'GET /s/SeCrEt-token_2/ HTTP/1.1'")
    text = flushed_text(logger, log_file)
    assert "SeCrEt" not in text
    assert "Error handling request GET /s/[token]/csv/" in text
    assert "'GET /s/[token]/ HTTP/1.1'" in text


# Keeping and deleting


def test_ended_links_are_deleted_30_days_after_they_end(owner_client, owner, therapist, journal):
    with time_machine.travel(NOON, tick=False) as clock:
        create_token(owner_client, label="Expiring", expires_days="1")
        revoked = create_token(owner_client, label="Revoked", expires_days="90")
        therapist.get(shared(revoked))
        live = create_token(owner_client, label="Live", expires_days="90")
        link = ShareLink.objects.get(token_hash=hash_token(revoked))
        owner_client.post(link.get_revoke_url())
        clock.shift(datetime.timedelta(days=30, hours=23))
        page = body(owner_client.get(SHARE_URL))
        assert "Expiring" in page and "Revoked" in page
        assert "deleted from this list after 11 Jul 2026" in page
        clock.shift(datetime.timedelta(hours=2))
        call_command("purge_share_links", stdout=io.StringIO())
        assert set(ShareLink.objects.values_list("label", flat=True)) == {"Live"}
        assert not ShareAccess.objects.exists()
        assert Client().get(shared(live)).status_code == 200


def test_the_purge_command_reports_what_it_deleted(owner):
    with time_machine.travel(NOON, tick=False) as clock:
        for n in range(2):
            ShareLink.objects.create_link(
                owner, label=f"L{n}", period="30", start=None, end=None, notes=False, expires_days=1
            )
        clock.shift(datetime.timedelta(days=32))
        out = io.StringIO()
        call_command("purge_share_links", stdout=out)
    assert out.getvalue() == "Deleted 2 ended share links.\n"


def test_the_account_export_lists_links_and_openings_without_tokens(
    owner_client, owner, therapist, journal
):
    token = create_token(owner_client, label="Dr Lee", notes="on")
    therapist.get(shared(token))
    response = owner_client.get(reverse("account_export"))
    text = response.content.decode()
    assert token not in text and hash_token(token) not in text
    [link] = json.loads(text)["share_links"]
    stored = ShareLink.objects.get()
    assert link == {
        "label": "Dr Lee",
        "period": "30",
        "start": None,
        "end": None,
        "include_notes": True,
        "created_at": stored.created_at.isoformat(),
        "expires_at": stored.expires_at.isoformat(),
        "revoked_at": None,
        "times_opened": 1,
        "last_opened_at": stored.last_opened_at.isoformat(),
        "accesses": [
            {
                "opened_at": stored.last_opened_at.isoformat(),
                "kind": "page",
                "network": "203.0.113.0/24",
                "browser": "Firefox",
            }
        ],
    }


def test_deleting_the_account_deletes_its_links_and_their_logs(db, stranger):
    ShareLink.objects.create_link(
        stranger, label="Other", period="30", start=None, end=None, notes=False, expires_days=7
    )
    before = table_counts()
    wren = make_user("wren-deleted")
    device = Client()
    device.force_login(wren)
    token = create_token(device, label="wren-label")
    Client().get(shared(token))
    assert ShareAccess.objects.filter(link__user=wren).exists()
    device.post(reverse("account_delete"), {"password": "a-long-test-password-41"})
    # The rate limit's counter is about the therapist's address, not the person.
    RateLimitCount.objects.filter(scope="share").delete()
    assert table_counts() == before
    assert "wren" not in table_text()
    assert Client().get(shared(token)).status_code == 404


# Query counts


def add_openings(link, count):
    ShareAccess.objects.bulk_create(
        ShareAccess(link=link, opened_at=timezone.now(), kind="page", network="n", browser="b")
        for _ in range(count)
    )


@pytest.mark.parametrize("links", [1, 8])
def test_the_list_costs_the_same_queries_for_one_link_or_many(
    owner_client, owner, links, django_assert_num_queries
):
    for n in range(links):
        link, _ = ShareLink.objects.create_link(
            owner, label=f"L{n}", period="30", start=None, end=None, notes=False, expires_days=7
        )
        add_openings(link, 5 * n)
    # Session, user, profile, purge, links, their openings.
    with django_assert_num_queries(6):
        assert owner_client.get(SHARE_URL).status_code == 200


@pytest.mark.parametrize("days", [5, 80])
def test_the_shared_page_costs_the_same_queries_for_few_days_or_many(
    owner, today, days, django_assert_num_queries
):
    DayEntry.objects.bulk_create(
        DayEntry(user=owner, date=today - datetime.timedelta(days=n), mood=5, recorded_on=today)
        for n in range(days)
    )
    _, token = ShareLink.objects.create_link(
        owner, label="L", period="90", start=None, end=None, notes=True, expires_days=7
    )
    client = Client()
    client.get(shared(token))  # the first request of a window inserts the counter row
    with django_assert_num_queries(QUERIES_PER_SHARED_PAGE):
        assert client.get(shared(token)).status_code == 200


# Rules in the database


def a_link(owner, **fields):
    now = timezone.now()
    values = {
        "user": owner,
        "label": "Dr Lee",
        "period": "30",
        "token_hash": hash_token(str(fields)),
        "created_at": now,
        "expires_at": now + datetime.timedelta(days=7),
        **fields,
    }
    return ShareLink(**values)


@pytest.mark.parametrize(
    "fields",
    [
        {"period": "365"},
        {"period": "fixed"},
        {"period": "fixed", "start": D(2025, 3, 9), "end": D(2025, 3, 1)},
        {"period": "30", "start": D(2025, 3, 1), "end": D(2025, 3, 9)},
        {"expires_at": timezone.now() - datetime.timedelta(days=1)},
        {"label": ""},
    ],
)
def test_the_database_refuses_a_link_that_breaks_the_rules(owner, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        a_link(owner, **fields).save()
    assert not ShareLink.objects.exists()


def test_the_database_accepts_a_fixed_or_rolling_link(owner):
    a_link(owner, period="fixed", start=D(2025, 3, 1), end=D(2025, 3, 1)).save()
    a_link(owner, period="90").save()
    assert ShareLink.objects.count() == 2


def test_an_access_of_an_unknown_kind_is_refused(owner):
    link = a_link(owner)
    link.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        ShareAccess.objects.create(
            link=link, opened_at=timezone.now(), kind="zip", network="n", browser="b"
        )


@pytest.mark.parametrize(
    ("address", "network"),
    [
        ("203.0.113.77", "203.0.113.0/24"),
        ("2001:db8:abcd:12:1:2:3:4", "2001:db8:abcd::/48"),
        ("::ffff:198.51.100.9", "198.51.100.0/24"),
        ("", "unknown"),
        ("not an address", "unknown"),
    ],
)
def test_an_address_is_kept_only_as_its_network(address, network):
    assert network_of(address) == network


@pytest.mark.parametrize(
    ("user_agent", "family"),
    [
        (FIREFOX, "Firefox"),
        (
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0.0.0 Mobile Safari/537.36",
            "Chrome Mobile",
        ),
        ("", "Unknown browser"),
        ("x" * 100_000, "Unknown browser"),
    ],
)
def test_the_browser_family_is_named_or_unknown(user_agent, family):
    assert browser_family(user_agent) == family
