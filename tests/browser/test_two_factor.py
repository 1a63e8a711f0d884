"""Two-factor sign-in on a phone: set up from the secret the page shows, then log in with it."""

import base64
import hashlib
import hmac
import re
import struct
import time
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

from tests.browser.test_sharing import scanned
from tests.conftest import PASSWORD

STEP = 30  # seconds per code, as the page tells the app


def app_code(secret):
    """What an authenticator app shows now, computed with hmac as RFC 6238 says (not with
    django-otp, whose codes the server checks)."""
    key = base64.b32decode(secret.replace(" ", ""))
    digest = hmac.new(key, struct.pack(">Q", int(time.time()) // STEP), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def log_in_with_password(page):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Two-factor sign-in")).to_be_visible()


def log_out(page):
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name=re.compile("Log out")).click()
    expect(page.get_by_role("link", name="Log in").first).to_be_visible()


def test_set_up_two_factor_then_log_in_with_a_fresh_code_and_with_a_recovery_code(
    page, logged_in, owner
):
    logged_in(owner)
    page.goto("/accounts/settings/")
    page.get_by_role("link", name="Two-factor sign-in").click()
    page.get_by_role("button", name="Set up two-factor sign-in").click()

    # The QR code and the secret in text say the same thing.
    secret = page.locator("#two-factor-secret").inner_text()
    [scanned_url] = scanned(page.get_by_role("img", name=re.compile("QR code")))
    assert scanned_url.startswith("otpauth://totp/KindJournal%3Aalice?")
    assert parse_qs(urlsplit(scanned_url).query)["secret"] == [secret.replace(" ", "")]

    code_field = page.get_by_label("Code from your app")
    assert code_field.get_attribute("autocomplete") == "one-time-code"
    assert code_field.get_attribute("inputmode") == "numeric"
    code_field.fill(app_code(secret))
    step_used = int(time.time()) // STEP
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("heading", name="Save your recovery codes")).to_be_visible()
    codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="I have saved them").click()
    expect(page.get_by_text("Recovery codes left: 10 of 10.")).to_be_visible()
    log_out(page)

    # The password alone is not enough; the code used to set up is spent: wait for a fresh one.
    log_in_with_password(page)
    page.goto("/history/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/history/$"))
    log_in_with_password(page)
    while int(time.time()) // STEP <= step_used:
        page.wait_for_timeout(250)
    page.get_by_label("Code from your app").fill(app_code(secret))
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Today")).to_be_visible()
    log_out(page)

    # Without the phone: a recovery code, once.
    log_in_with_password(page)
    page.get_by_role("link", name="Lost your phone? Use a recovery code").click()
    page.get_by_label("Recovery code").fill(codes[0])
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Today")).to_be_visible()
    page.goto("/accounts/two-factor/")
    expect(page.get_by_text("Recovery codes left: 9 of 10.")).to_be_visible()
