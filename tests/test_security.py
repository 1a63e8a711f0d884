"""What a browser and an attacker see: headers, HTTPS, log-in lockout, the sign-up limit, the
client's address behind proxies, and no third-party request but the CDN files."""

import datetime
import re
from collections import Counter
from pathlib import Path

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.test import Client, override_settings
from django.urls import reverse

from kindjournal import cdn
from kindjournal.accounts.models import LoginCheck, RateLimitCount
from kindjournal.client_ip import address_from, per_network
from tests.conftest import PASSWORD, make_user
from tests.settings_env import settings_under
from tests.threads import at_once
from tests.url_registry import page_urls
from tests.urlwalk import body

ROOT = Path(__file__).resolve().parent.parent
HTTPS_SETTINGS = [
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
]
WRONG_PASSWORD = "not-the-password-9"
JSDELIVR = "https://cdn.jsdelivr.net/npm"
EXPECTED_POLICY = {
    "default-src": ["'self'"],
    "script-src": [
        "'self'",
        f"{JSDELIVR}/bootstrap@5.3.8/dist/js/bootstrap.bundle.min.js",
        f"{JSDELIVR}/chart.js@4.6.1/dist/chart.umd.min.js",
    ],
    "style-src": ["'self'", f"{JSDELIVR}/bootstrap@5.3.8/dist/css/bootstrap.min.css"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

# The service worker's script: its policy governs the worker's own fetches, which take the
# jsDelivr files into its cache; it runs no page, so nothing else by default.
WORKER_POLICY = {
    **EXPECTED_POLICY,
    "default-src": ["'none'"],
    "connect-src": ["'self'", *sorted(asset.url for asset in cdn.ASSETS.values())],
}


def policy(response):
    directives = [part.split() for part in response["Content-Security-Policy"].split(";")]
    return {name: sources for name, *sources in directives}


def log_in(client, username, password=WRONG_PASSWORD, ip="198.51.100.7", **headers):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip, **headers
    )


def sign_up(username, ip="198.51.100.7", **headers):
    data = {"username": username, "password1": PASSWORD, "password2": PASSWORD}
    return Client().post(reverse("signup"), data, REMOTE_ADDR=ip, **headers)


@pytest.fixture
def https_on(monkeypatch):
    """The HTTPS settings a production deploy gets from its environment."""
    values = settings_under(monkeypatch, DJANGO_SECRET_KEY="x" * 50, DJANGO_BEHIND_PROXY="true")
    with override_settings(**{name: values[name] for name in HTTPS_SETTINGS}):
        yield values


# Headers


@pytest.mark.parametrize("logged_in", [False, True])
def test_every_page_sends_the_strict_policy_and_browser_hardening_headers(client, owner, logged_in):
    if logged_in:
        client.force_login(owner)
    urls = page_urls(owner, logged_in=logged_in)
    assert len(urls) >= (15 if logged_in else 5)
    for url in urls:
        response = client.get(url)
        expected = WORKER_POLICY if url == "/sw.js" else EXPECTED_POLICY
        assert policy(response) == expected, url
        assert response["X-Frame-Options"] == "DENY", url
        assert response["Referrer-Policy"] == "same-origin", url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", url


def test_the_policy_allows_exactly_the_cdn_files_the_pages_load():
    assert sorted(EXPECTED_POLICY["script-src"][1:] + EXPECTED_POLICY["style-src"][1:]) == sorted(
        asset.url for asset in cdn.ASSETS.values()
    )


def test_with_https_on_plain_http_is_redirected(https_on, client, db):
    response = client.get("/history/?page=2")
    assert response.status_code == 301
    assert response.url == "https://testserver/history/?page=2"


def test_with_https_on_pages_send_hsts_and_cookies_are_secure(https_on, client, owner):
    login_page = client.get(reverse("login"), secure=True)
    assert login_page["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert login_page.cookies["csrftoken"]["secure"] is True
    response = client.post(
        reverse("login"), {"username": "alice", "password": PASSWORD}, secure=True
    )
    session = response.cookies["sessionid"]
    assert (session["secure"], session["httponly"], session["samesite"]) == (True, True, "Lax")


def test_behind_a_tls_proxy_forwarded_https_is_trusted(https_on, client, db):
    response = client.get("/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
    assert "Strict-Transport-Security" in response


# Log-in lockout (django-axes): real log-in attempts, so the backend sees each request.


def test_five_wrong_passwords_lock_that_username_from_that_address_with_a_clear_message(
    client, owner
):
    for _ in range(4):
        page = log_in(client, "alice")
        assert page.status_code == 200
        assert "Please enter a correct username and password." in page.content.decode()
    locked = log_in(client, "alice")
    assert locked.status_code == 429
    text = locked.content.decode()
    assert "Too many failed log-ins" in text
    assert "After 5 wrong passwords, logging in to this account from your network is paused" in text
    assert "for 15 minutes" in text
    # Even the right password waits out the cool-off.
    assert log_in(client, "alice", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_lockout_leaves_other_addresses_and_other_usernames_alone(client, owner, stranger):
    for _ in range(5):
        log_in(client, "alice", ip="198.51.100.7")
    assert log_in(Client(), "alice", PASSWORD, ip="203.0.113.9").status_code == 302
    assert log_in(Client(), "mallory", PASSWORD, ip="198.51.100.7").status_code == 302


def test_a_lockout_ends_after_the_cool_off(client, owner):
    for _ in range(5):
        log_in(client, "alice")
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time.replace(year=2020)
    )
    assert log_in(client, "alice", PASSWORD).status_code == 302


def test_a_successful_log_in_forgets_earlier_failures(client, owner):
    for _ in range(4):
        log_in(client, "alice")
    assert log_in(client, "alice", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        assert log_in(client, "alice").status_code == 200


@override_settings(PROXY_COUNT=1)
def test_behind_a_proxy_the_lockout_follows_the_client_not_the_proxy(client, owner):
    for _ in range(5):
        log_in(client, "alice", ip="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert AccessAttempt.objects.get().ip_address == "203.0.113.5"
    # A forged leftmost hop does not escape the lockout...
    forged = log_in(
        Client(), "alice", PASSWORD, ip="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.5"
    )
    assert forged.status_code == 429
    # ...and another client behind the same proxy is not locked out.
    other = log_in(Client(), "alice", PASSWORD, ip="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert other.status_code == 302


class SlowHasher(PBKDF2PasswordHasher):
    """About a second per password here: log-ins sent at once are all under way together."""

    iterations = 300_000


@pytest.mark.django_db(transaction=True)
def test_with_one_guess_left_log_ins_sent_at_once_get_one_password_check_between_them(settings):
    settings.PASSWORD_HASHERS = ["tests.test_security.SlowHasher"]
    make_user("alice")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(Client(), "alice").status_code == 200
    # Five at once, each with the right password: as many guesses as five wrong ones. Only
    # one may be checked; the others meet the lockout before any check has ended.
    outcomes = at_once(*[lambda: log_in(Client(), "alice", PASSWORD).status_code] * 5)
    assert sorted(outcomes) == [302, 429, 429, 429, 429], outcomes
    # Every check gave its place back.
    assert not LoginCheck.objects.exists()


# Sign-up limit (counted in the database per client address), SIGNUP_RATE = 10/h.


def test_sign_ups_are_limited_per_address_with_a_clear_message(db):
    for n in range(10):
        assert sign_up(f"person{n}").status_code == 302
    refused = sign_up("person10")
    assert refused.status_code == 429
    text = body(refused)
    assert "Too many accounts were created from this network recently." in text
    assert "Please try again later." in text
    assert not get_user_model().objects.filter(username="person10").exists()
    assert sign_up("elsewhere", ip="203.0.113.9").status_code == 302


def test_the_sign_up_limit_slides_so_no_burst_fits_across_the_hour(db):
    hour = datetime.datetime(2026, 6, 10, 12, 0, tzinfo=datetime.UTC)
    with time_machine.travel(hour - datetime.timedelta(minutes=2), tick=False) as clock:
        assert [sign_up(f"early{n}").status_code for n in range(10)] == [302] * 10
        # Four minutes on, in the next clock hour: the last hour's ten still count almost whole.
        clock.move_to(hour + datetime.timedelta(minutes=2))
        assert sign_up("late").status_code == 429
        # Two hours on, nothing of those counts; ended windows are forgotten.
        clock.move_to(hour + datetime.timedelta(minutes=125))
        assert sign_up("much-later").status_code == 302
    assert get_user_model().objects.filter(username__in=["late", "much-later"]).count() == 1
    assert list(RateLimitCount.objects.values_list("key", "count")) == [("198.51.100.7", 1)]


@pytest.mark.django_db(transaction=True)
def test_thirty_sign_ups_at_once_from_one_address_get_no_more_than_the_limit():
    outcomes = at_once(*(lambda n=n: sign_up(f"rush{n}").status_code for n in range(30)))
    assert Counter(outcomes) == {302: 10, 429: 20}, outcomes
    assert get_user_model().objects.filter(username__startswith="rush").count() == 10


@pytest.mark.django_db(transaction=True)
def test_thirty_requests_counted_at_once_each_get_their_own_count():
    # The first of a window inserts its row, so this races the insert as well as the update.
    outcomes = at_once(
        *[lambda: RateLimitCount.objects.hit_sliding("test", "192.0.2.1", 3600)] * 30
    )
    assert sorted(outcomes) == list(range(1, 31)), outcomes
    assert RateLimitCount.objects.get().count == 30


def test_an_ipv6_network_shares_one_sign_up_allowance(db):
    for n in range(10):
        assert sign_up(f"person{n}", ip=f"2001:db8:1:2::{n + 1:x}").status_code == 302
    assert sign_up("person10", ip="2001:db8:1:2:ffff:1:2:3").status_code == 429
    assert sign_up("neighbour", ip="2001:db8:1:3::1").status_code == 302


@override_settings(PROXY_COUNT=1)
def test_behind_a_proxy_the_sign_up_limit_counts_each_client(db):
    for n in range(10):
        sign_up(f"person{n}", ip="10.0.0.2", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.5")
    assert sign_up("person10", ip="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 429
    assert sign_up("other", ip="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.6").status_code == 302


@pytest.mark.parametrize(
    ("meta", "proxies", "client"),
    [
        ({"REMOTE_ADDR": "198.51.100.7", "HTTP_X_FORWARDED_FOR": "192.0.2.1"}, 0, "198.51.100.7"),
        ({"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "203.0.113.5"}, 1, "203.0.113.5"),
        (
            {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "192.0.2.1, 203.0.113.5"},
            1,
            "203.0.113.5",
        ),
        (
            {"REMOTE_ADDR": "10.0.0.3", "HTTP_X_FORWARDED_FOR": "203.0.113.5, 10.0.0.2"},
            2,
            "203.0.113.5",
        ),
        ({"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "2001:db8::1"}, 1, "2001:db8::1"),
        # Fewer hops than proxies, or junk: only the address that reached us is trusted.
        ({"REMOTE_ADDR": "10.0.0.3", "HTTP_X_FORWARDED_FOR": "203.0.113.5"}, 2, "10.0.0.3"),
        ({"REMOTE_ADDR": "10.0.0.2"}, 1, "10.0.0.2"),
        ({"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "not-an-address"}, 1, "10.0.0.2"),
    ],
)
def test_the_client_address_is_read_past_our_own_proxies_only(meta, proxies, client):
    assert address_from(meta, proxies) == client


@pytest.mark.parametrize(
    ("address", "counted_as"),
    [
        ("198.51.100.7", "198.51.100.7"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::"),
        ("2001:DB8:1:2::1", "2001:db8:1:2::"),
        ("::ffff:198.51.100.7", "198.51.100.7"),
        ("", ""),
    ],
)
def test_an_ipv6_client_is_counted_by_its_64_network(address, counted_as):
    assert per_network(address) == counted_as


def test_a_lockout_covers_the_ipv6_64_network_the_wrong_passwords_came_from(client, owner):
    for n in range(5):
        log_in(client, "alice", ip=f"2001:db8:1:2::{n + 1}")
    assert log_in(Client(), "alice", PASSWORD, ip="2001:db8:1:2:aaaa::9").status_code == 429
    assert log_in(Client(), "alice", PASSWORD, ip="2001:db8:1:3::1").status_code == 302


# No third-party requests: only the exact CDN files, no analytics.

ABSOLUTE_URL = re.compile(r"""(?:https?:)?//[^\s"'<>()]+""")
# An XML namespace (inline SVG's xmlns) names a URL but is never fetched.
XML_NAMESPACE = re.compile(r"""xmlns(?::\w+)?=["'][^"']*["']""")


def test_pages_name_no_third_party_url_but_the_cdn_files(client, owner):
    allowed = {asset.url for asset in cdn.ASSETS.values()}
    seen = {}
    for logged_in in (False, True):
        if logged_in:
            client.force_login(owner)
        for url in page_urls(owner, logged_in=logged_in):
            response = client.get(url)
            if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
                html = XML_NAMESPACE.sub("", body(response))
                seen[url] = set(ABSOLUTE_URL.findall(html)) - allowed
    assert len(seen) >= 10, seen.keys()
    assert {url: found for url, found in seen.items() if found} == {}


def test_our_static_files_fetch_nothing_from_elsewhere():
    files = [path for path in (ROOT / "static").rglob("*") if path.suffix in (".js", ".css")]
    assert files
    for path in files:
        assert not re.search(r"https?://|@import", path.read_text()), path
