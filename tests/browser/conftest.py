"""Playwright (sync API) driving headless Chromium against pytest-django's live server.

Every page starts on a 375 px wide phone screen, can reach only the live server and the local
CDN copies, and fails its test on any console error: CSP violations, a failed integrity check,
a JavaScript exception, a missing file.
"""

import os
import shutil
import time
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import sync_playwright

from tests.browser.cdn import fulfil_from_npm_copy

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 375, "height": 812}


def chromium_path():
    """CHROMIUM if set, else Debian's Chromium, else Playwright's own download (None)."""
    explicit = os.environ.get("CHROMIUM")
    if explicit:
        return explicit
    for candidate in ("/usr/lib/chromium/chromium", "/usr/bin/chromium"):
        if Path(candidate).exists():
            return candidate
    return shutil.which("chromium")


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def playwright():
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright):
    browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def persistent_context(playwright, live_server, tmp_path):
    """A browser with a profile on disk, as a person's phone has: what it stores survives a
    restart (`relaunch()`), and Chromium judges installability there (never in incognito)."""

    def launch():
        context = playwright.chromium.launch_persistent_context(
            tmp_path / "profile",
            executable_path=chromium_path(),
            args=CHROMIUM_ARGS,
            viewport=PHONE,
            base_url=live_server.url,
        )
        route_like_the_page_fixture(context, live_server)
        return context

    contexts = [launch()]

    class Persistent:
        @property
        def context(self):
            return contexts[-1]

        def relaunch(self):
            contexts[-1].close()
            contexts.append(launch())
            return contexts[-1]

    yield Persistent()
    contexts[-1].close()


def route_like_the_page_fixture(context, live_server):
    """Only the live server and the local CDN copies are reachable; nothing else."""
    context.set_default_timeout(10_000)
    # Playwright tries the most recently added matching route first.
    context.route("**/*", lambda route: route.abort())
    context.route("https://cdn.jsdelivr.net/**", fulfil_from_npm_copy)
    context.route(f"{live_server.url}/**", lambda route: route.continue_())


def collect_console_errors(page):
    """A list that fills with every console error and uncaught exception on `page`."""
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def page_failing_only_sends(context):
    """A page whose only console errors may be failed sends: the tests below make the send
    endpoint fail or refuse on purpose, and Chromium logs each such request as an error."""
    page = context.new_page()
    errors = []
    page.on(
        "console",
        lambda message: message.type == "error" and errors.append(message.location["url"]),
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page, errors


def only_sends_failed(errors):
    return all(url.endswith("/offline/send/") for url in errors)


@pytest.fixture
def context(browser, live_server):
    context = browser.new_context(viewport=PHONE, base_url=live_server.url, accept_downloads=True)
    route_like_the_page_fixture(context, live_server)
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    errors = collect_console_errors(page)
    yield page
    assert errors == [], "the browser reported errors"


def share_session(context, client, live_server, user):
    """Log `user` into the browser `context` with a Django test-client session (skips the form)."""
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    # Kept for the session's age, as Django's own cookie is, so it outlives a browser restart.
    expires = time.time() + settings.SESSION_COOKIE_AGE
    context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": live_server.url, "expires": expires}]
    )
    return user


@pytest.fixture
def logged_in(context, client, live_server):
    """Log a user into the browser by sharing a Django test-client session (skips the form)."""

    def log_in(user):
        return share_session(context, client, live_server, user)

    return log_in


def worker_registration_id(context, page):
    """A DevTools session on `page` and the id of its live service-worker registration, for
    ServiceWorker.deliverPushMessage and dispatchSyncEvent."""
    cdp = context.new_cdp_session(page)
    registrations = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registrations.extend(event["registrations"]),
    )
    cdp.send("ServiceWorker.enable")
    for _ in range(50):
        live = [r for r in registrations if not r.get("isDeleted")]
        if live:
            return cdp, live[0]["registrationId"]
        page.wait_for_timeout(100)
    raise AssertionError("no service worker registration reported")
