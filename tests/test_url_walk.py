"""Every URL in the URLconf, walked: who may open it, and that nobody reaches another's data.

ADDING A URL? Register it in tests/url_registry.py (one line; its docstring says how). The test
`test_every_url_in_the_urlconf_is_registered` fails until you do.

Then, for every URL: anonymous people are sent to log in (GET and POST) unless it is public; a
URL with a parameter that may name an object must be `owned`, and there another person gets 404
for GET and POST and nothing of the owner's changes; on every other URL (public, login-required,
per-person, the admin) another person sees none of the owner's data (their note and act, in
pages and downloads alike) and changes none of it. Django's admin is `staff_only` as a whole
("admin:*"). A `capability` URL (a shared link) opens the owner's data for its exact token,
logged in or not, and answers any other token with the same 404. The coverage kinds live in
tests/urlwalk.py.
"""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from kindjournal.journal.models import KindnessAct
from tests.url_registry import (
    NOT_OBJECT_IDS,
    REGISTRY,
    SECRET,
    a_day,
    an_act,
    coverage,
    covered_by,
    object_parameters,
    url_for,
)
from tests.urlwalk import all_patterns, body, login_required, owned, public, rows_of

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
# Every kind but `owned`, whose URLs answer a stranger with 404 instead.
NOT_OWNED = ("public", "login_required", "per_person", "staff_only")


def covered(*kinds):
    return [pytest.param(pattern, id=pattern.key) for pattern in covered_by(kinds, PATTERNS)]


def loose_object_urls(patterns, registry=REGISTRY):
    """URLs taking a parameter that may name an object, registered as anything but `owned` (the
    admin aside: staff only as a whole)."""
    kinds = {"public", "login_required", "per_person"}
    return [p.key for p in covered_by(kinds, patterns, registry) if object_parameters(p)]


def stranger_gets_404_and_changes_nothing(client, owner, stranger, url):
    before = rows_of(owner)
    client.force_login(stranger)
    strangers = [client.get(url).status_code, client.post(url, STRANGER_POST).status_code]
    assert rows_of(owner) == before
    # The URL is real: its owner gets through (else a 404 would prove nothing).
    client.force_login(owner)
    owners = [client.get(url).status_code, client.post(url, STRANGER_POST).status_code]
    assert any(status < 400 for status in owners)
    for method, theirs, mine in zip(("GET", "POST"), strangers, owners, strict=True):
        # 405 for a method the view takes from nobody (GET on a delete) says nothing about
        # whose object it is; anything else must be 404.
        assert theirs == 404 or theirs == mine == 405, method


def sent_to(login_url, response, url):
    """Whether `response` redirects to `login_url` with ?next= pointing back at `url`."""
    if response.status_code != 302:
        return False
    target = urlsplit(response.url)
    return target.path == login_url and parse_qs(target.query).get("next") == [url]


def test_every_url_in_the_urlconf_is_registered():
    unregistered = [pattern for pattern in PATTERNS if coverage(pattern) is None]
    assert not unregistered, (
        "Register these URLs in REGISTRY in tests/url_registry.py, one line each "
        "saying who may use them (public, login_required, owned, per_person):\n"
        + "\n".join(f'    "{pattern.key}": ...,  # /{pattern.route}' for pattern in unregistered)
    )


def test_the_registry_names_only_urls_that_exist():
    known = {pattern.key for pattern in PATTERNS} | {
        f"{pattern.namespace}:*" for pattern in PATTERNS
    }
    assert set(REGISTRY) - known == set(), "remove these from REGISTRY: the URLs are gone"


def test_urls_with_a_parameter_that_may_name_an_object_are_registered_as_owned():
    assert loose_object_urls(PATTERNS) == [], (
        "these URLs take a parameter that may name an object: register them with owned(make), "
        "or add the parameter to NOT_OBJECT_IDS in tests/url_registry.py with the reason"
    )


def test_the_parameters_said_to_name_no_object_exist():
    parameters = {pattern.key: set(pattern.parameters) for pattern in PATTERNS}
    for key, names in NOT_OBJECT_IDS.items():
        assert names <= parameters.get(key, set()), key


@pytest.mark.urls("tests.leaky_urls")
@pytest.mark.parametrize("registered", [public(), login_required()])
def test_the_walk_takes_a_str_parameter_for_an_object_id_and_demands_owned(registered):
    patterns = all_patterns()
    assert loose_object_urls(patterns, {**REGISTRY, "peek": registered}) == ["peek"]
    assert loose_object_urls(patterns, {**REGISTRY, "peek": owned(an_act)}) == []


@pytest.mark.urls("tests.leaky_urls")
def test_registered_as_owned_a_page_showing_anyones_object_fails_the_walk(client, owner, stranger):
    url = reverse("peek", kwargs={"key": an_act(owner)["pk"]})
    with pytest.raises(AssertionError, match="GET"):
        stranger_gets_404_and_changes_nothing(client, owner, stranger, url)
    # The same check passes on a real owned URL.
    act = KindnessAct.objects.get(user=owner)
    stranger_gets_404_and_changes_nothing(
        client, owner, stranger, reverse("journal:delete_act", args=[act.pk])
    )


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


@pytest.mark.parametrize("pattern", covered(*NOT_OWNED))
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
    stranger_gets_404_and_changes_nothing(client, owner, stranger, url_for(pattern, owner))


@pytest.mark.parametrize("pattern", covered("per_person"))
def test_a_stranger_at_the_same_url_sees_and_changes_only_their_own(
    client, owner, stranger, pattern
):
    url = url_for(pattern, owner)
    before = rows_of(owner)
    client.force_login(stranger)
    for response in (client.get(url), client.post(url, STRANGER_POST, follow=True)):
        assert response.status_code < 500
        assert SECRET not in body(response)
    assert rows_of(owner) == before
    # The URL is real: its owner sees their data there, or changes it by posting.
    client.force_login(owner)
    if SECRET not in body(client.get(url)):
        logged_in = rows_of(owner)
        client.post(url, STRANGER_POST)
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


def other_tokens(url, token):
    """The URL with its token altered, cut short, lengthened and replaced."""
    return [
        url.replace(token, replacement)
        for replacement in (
            token[:-1] + ("A" if token[-1] != "A" else "B"),
            token[:-1],
            token + "A",
            "A" * len(token),
        )
    ]


@pytest.mark.parametrize("pattern", covered("capability"))
def test_a_capability_url_opens_for_its_exact_token_and_no_other(client, owner, stranger, pattern):
    kwargs = coverage(pattern).make(owner)
    url = pattern.url(**kwargs)
    for who in ("anonymous", "a logged-in stranger"):
        if who != "anonymous":
            client.force_login(stranger)
        response = client.get(url)
        assert response.status_code == 200, who
        assert SECRET in body(response), who
    before = rows_of(owner)
    answers = set()
    for wrong in other_tokens(url, kwargs["token"]):
        response = client.get(wrong)
        assert response.status_code == 404, wrong
        assert SECRET not in body(response)
        answers.add(body(response))
    assert len(answers) == 1  # one neutral page, whatever the token
    assert client.post(url, STRANGER_POST).status_code == 405
    assert rows_of(owner) == before


@pytest.mark.parametrize("pattern", covered(*NOT_OWNED, "owned", "capability"))
def test_no_response_to_a_logged_in_person_may_be_stored_by_a_browser_or_proxy(
    client, owner, pattern
):
    url = url_for(pattern, owner)
    client.force_login(owner)
    for response in (client.get(url), client.post(url, STRANGER_POST)):
        cache_control = response["Cache-Control"]
        # The favicon alone is the same bytes for everyone, and says so.
        public = url == "/favicon.ico" and response.status_code == 200
        expected = "public, max-age=86400" if public else "no-store"
        assert cache_control == expected, (url, response.status_code)


# Not `capability`: a shared link's HEAD (answered like GET, but not logged as an opening) is
# tested in tests/test_sharing.py, where the openings are counted.
@pytest.mark.parametrize("pattern", covered(*NOT_OWNED, "owned"))
def test_every_url_answers_head_as_it_answers_get_and_changes_nothing(client, owner, pattern):
    url = url_for(pattern, owner)
    client.force_login(owner)
    before = rows_of(owner)
    head = client.head(url)
    assert body(head) == ""
    assert rows_of(owner) == before
    assert head.status_code == client.get(url).status_code, url


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
def test_insights_is_read_only(owner_client, method):
    assert getattr(owner_client, method)(reverse("insights:insights")).status_code == 405
