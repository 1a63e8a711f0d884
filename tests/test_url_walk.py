"""Every URL in the URLconf, walked: who may open it, and that nobody reaches another's data.

ADDING A URL? Add one line to REGISTRY below, named as you would `reverse()` it, saying who may
use it. The test `test_every_url_in_the_urlconf_is_registered` fails until you do.

    "journal:history": login_required(),       # only the logged-in person's own data, no id
    "journal:delete_act": owned(an_act),       # names an object: an_act(owner) -> URL kwargs
    "journal:day": per_person(a_day),          # no object, shown for whoever asks (a date)
    "signup": public(),                        # open to anyone, logged in or not

A URL with an object id (<int:pk>, <uuid:...>) must be `owned(make)`, where `make(owner)`
creates the owner's object and returns the URL's kwargs; add such a maker beside `an_act`.
Then, for every URL: anonymous people are sent to log in (GET and POST) unless it is public; for
an owned URL another person gets 404 for GET and POST and nothing of the owner's changes; on
login-required and per-person URLs another person sees none of the owner's data (their note and
act, in pages and downloads alike) and changes none of it. Django's
admin is `staff_only` as a whole ("admin:*"). The coverage kinds live in tests/urlwalk.py.
"""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from kindjournal.exports.csv_format import header
from kindjournal.imports.formats import KINDJOURNAL
from kindjournal.imports.models import PendingImport
from kindjournal.journal.models import DayEntry, KindnessAct
from tests.urlwalk import (
    SAMPLE_DAY,
    all_patterns,
    body,
    login_required,
    owned,
    per_person,
    public,
    rows_of,
    staff_only,
)

# Plain letters, so it reads the same HTML-escaped: a leak cannot hide behind &#x27;.
SECRET = "owner private words 7f3a"


def an_act(owner):
    return {"pk": KindnessAct.objects.create(user=owner, date=SAMPLE_DAY, description=SECRET).pk}


def a_day(owner):
    """The owner's mood, note and act on SAMPLE_DAY; the URL names only the date."""
    DayEntry.objects.update_or_create(
        user=owner, date=SAMPLE_DAY, defaults={"mood": 8, "note": SECRET, "recorded_on": SAMPLE_DAY}
    )
    KindnessAct.objects.get_or_create(user=owner, date=SAMPLE_DAY, description=SECRET)
    return {"day": SAMPLE_DAY}


def a_pending_import(owner):
    """An uploaded KindJournal CSV waiting for its owner to confirm the import."""
    text = ",".join(header(notes=True)) + f"\n2024-03-01,Friday,6,0,,2024-03-01,{SECRET}\n"
    pending = PendingImport.objects.create(
        user=owner, filename="journal.csv", format=KINDJOURNAL, content=text
    )
    return {"token": pending.token}


REGISTRY = {
    # The journal
    "journal:today": public(),  # the landing page until one logs in
    "journal:day": per_person(a_day),
    "journal:add_act": per_person(a_day),
    "journal:delete_act": owned(an_act),
    "journal:history": login_required(),
    "insights:insights": login_required(),
    "exports:export": login_required(),
    "exports:csv": login_required(),
    "exports:report": login_required(),
    "imports:upload": login_required(),
    "imports:preview": owned(a_pending_import),
    "imports:cancel": owned(a_pending_import),
    # Accounts: sign-up and settings, then Django's own auth views
    "signup": public(),
    "account_settings": login_required(),
    "account_export": login_required(),
    "account_delete": login_required(),
    "login": public(),
    "logout": public(),
    "password_change": login_required(),
    "password_change_done": login_required(),
    "password_reset": public(),
    "password_reset_done": public(),
    "password_reset_confirm": public(),
    "password_reset_complete": public(),
    # Django's admin, every model's pages included, is for staff, except its log-in page.
    "admin:*": staff_only(),
    "admin:login": public(),
}

# What a stranger posts to someone else's URLs: valid for every form we have, so a view that
# forgot its ownership check would really change something.
STRANGER_POST = {
    "mood": "1",
    "note": "written by a stranger",
    "description": "done by a stranger",
    "category": "other",
    "display_name": "stranger",
    "time_zone": "UTC",
}
PATTERNS = all_patterns()


def coverage(pattern):
    return REGISTRY.get(pattern.key) or REGISTRY.get(f"{pattern.namespace}:*")


def covered_by(kinds):
    """The registered patterns of these kinds (an unregistered one fails its own test)."""
    return [pattern for pattern in PATTERNS if getattr(coverage(pattern), "kind", None) in kinds]


def covered(*kinds):
    return [pytest.param(pattern, id=pattern.key) for pattern in covered_by(kinds)]


def url_for(pattern, owner):
    entry = coverage(pattern)
    return pattern.url(**(entry.make(owner) if entry.make else entry.kwargs))


def page_urls(owner, *, logged_in):
    """A URL for every page open to an anonymous or a logged-in person (the owner's objects);
    for the security and browser tests, which keep those that answer a GET with HTML."""
    kinds = {"public", "login_required", "owned", "per_person"} if logged_in else {"public"}
    return [url_for(pattern, owner) for pattern in covered_by(kinds)]


def sent_to(login_url, response, url):
    """Whether `response` redirects to `login_url` with ?next= pointing back at `url`."""
    if response.status_code != 302:
        return False
    target = urlsplit(response.url)
    return target.path == login_url and parse_qs(target.query).get("next") == [url]


def test_every_url_in_the_urlconf_is_registered():
    unregistered = [pattern for pattern in PATTERNS if coverage(pattern) is None]
    assert not unregistered, (
        "Register these URLs in REGISTRY at the top of tests/test_url_walk.py, one line each "
        "saying who may use them (public, login_required, owned, per_person):\n"
        + "\n".join(f'    "{pattern.key}": ...,  # /{pattern.route}' for pattern in unregistered)
    )


def test_the_registry_names_only_urls_that_exist():
    known = {pattern.key for pattern in PATTERNS} | {
        f"{pattern.namespace}:*" for pattern in PATTERNS
    }
    assert set(REGISTRY) - known == set(), "remove these from REGISTRY: the URLs are gone"


def test_urls_naming_an_object_are_registered_as_owned():
    loose = [
        pattern.key
        for pattern in covered_by({"login_required", "per_person"})
        if pattern.takes_object_id
    ]
    assert loose == [], "these URLs take an object id: register them with owned(make)"


@pytest.mark.parametrize("pattern", covered("login_required", "owned", "per_person"))
def test_anonymous_people_are_sent_to_log_in(client, owner, pattern):
    url = url_for(pattern, owner)
    before = rows_of(owner)
    responses = [client.get(url), client.post(url, STRANGER_POST)]
    login_url = reverse("login")
    # 405 for a method the view does not take reveals nothing; anything else must redirect.
    assert all(sent_to(login_url, r, url) or r.status_code == 405 for r in responses)
    assert any(sent_to(login_url, r, url) for r in responses)
    assert rows_of(owner) == before


@pytest.mark.parametrize("pattern", covered("login_required"))
def test_a_logged_in_person_sees_and_changes_none_of_anyone_elses_data(
    client, owner, stranger, pattern
):
    url = url_for(pattern, owner)
    a_day(owner)
    an_act(owner)
    before = rows_of(owner)
    client.force_login(stranger)
    for response in (client.get(url), client.post(url, STRANGER_POST, follow=True)):
        assert response.status_code < 500
        assert SECRET not in body(response)
    assert rows_of(owner) == before


@pytest.mark.parametrize("pattern", covered("public"))
def test_public_pages_open_without_logging_in(client, owner, pattern):
    url = url_for(pattern, owner)
    for response in (client.get(url), client.post(url)):
        assert response.status_code < 500
        assert not sent_to(reverse("login"), response, url)
        assert not sent_to(reverse("admin:login"), response, url)


@pytest.mark.parametrize("pattern", covered("owned"))
def test_a_stranger_gets_404_for_someone_elses_object_and_changes_nothing(
    client, owner, stranger, pattern
):
    url = url_for(pattern, owner)
    data = {**STRANGER_POST, **coverage(pattern).data}
    before = rows_of(owner)
    client.force_login(stranger)
    strangers = [client.get(url).status_code, client.post(url, data).status_code]
    assert rows_of(owner) == before
    # The URL is real: its owner gets through (else a 404 would prove nothing).
    client.force_login(owner)
    owners = [client.get(url).status_code, client.post(url, data).status_code]
    assert any(status < 400 for status in owners)
    for method, theirs, mine in zip(("GET", "POST"), strangers, owners, strict=True):
        # 405 for a method the view takes from nobody (GET on a delete) says nothing about
        # whose object it is; anything else must be 404.
        assert theirs == 404 or theirs == mine == 405, method


@pytest.mark.parametrize("pattern", covered("per_person"))
def test_a_stranger_at_the_same_url_sees_and_changes_only_their_own(
    client, owner, stranger, pattern
):
    url = url_for(pattern, owner)
    data = {**STRANGER_POST, **coverage(pattern).data}
    before = rows_of(owner)
    client.force_login(stranger)
    for response in (client.get(url), client.post(url, data, follow=True)):
        assert response.status_code < 500
        assert SECRET not in body(response)
    assert rows_of(owner) == before
    # The URL is real: its owner sees their data there, or changes it by posting.
    client.force_login(owner)
    if SECRET not in body(client.get(url)):
        logged_in = rows_of(owner)
        client.post(url, data)
        assert rows_of(owner) != logged_in


@pytest.mark.parametrize("pattern", covered("staff_only"))
def test_admin_pages_send_everyone_but_staff_to_the_admin_log_in(client, owner, stranger, pattern):
    url = url_for(pattern, owner)
    before = rows_of(owner)
    for who in ("anonymous", "a logged-in person who is not staff"):
        if who != "anonymous":
            client.force_login(stranger)
        for response in (client.get(url), client.post(url, STRANGER_POST)):
            came_from = url
            # The admin's log-out sends non-staff to the admin's index first, then to log in.
            if response.status_code == 302 and response.url == reverse("admin:index"):
                came_from = response.url
                response = client.get(came_from)
            assert sent_to(reverse("admin:login"), response, came_from), who
    assert rows_of(owner) == before
