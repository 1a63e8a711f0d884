"""Two-factor sign-in: Settings → Security (/accounts/two-factor/) and the log-in's code step."""

import base64
import json
import re
import time

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from kindjournal.accounts import two_factor
from tests.conftest import PASSWORD, make_user
from tests.test_account_data import table_counts, table_text
from tests.threads import at_once

SECURITY_URL = reverse("two_factor")
CONFIRM_URL = reverse("two_factor_confirm")
OFF_URL = reverse("two_factor_off")
LOGIN_URL = reverse("login")
CODE_URL = reverse("login_code")
RECOVERY_URL = reverse("login_recovery")
# Any moment will do; frozen, so that a test knows which time step its codes belong to.
NOON = "2026-12-03 12:00:05Z"


def app_code(secret, shift=0):
    """What an authenticator app shows for `secret` (as the page writes it) now."""
    totp = TOTP(base64.b32decode(secret.replace(" ", "")))
    totp.time = time.time() + shift
    return f"{totp.token():06d}"


def shown_secret(page):
    return re.search(r'id="two-factor-secret"[^>]*>([A-Z2-7 ]+)</code>', page).group(1)


def shown_codes(page):
    listing = re.search(r'<ol id="recovery-codes"[^>]*>(.*?)</ol>', page, re.S).group(1)
    return re.findall(r"<li>([0-9a-z-]+)</li>", listing)


def turn_on(client):
    """Set up two-factor through the pages: the secret read off the page, its first code.
    Returns the secret and the recovery codes the page showed."""
    client.post(SECURITY_URL)
    secret = shown_secret(client.get(SECURITY_URL).content.decode())
    response = client.post(CONFIRM_URL, {"otp_token": app_code(secret)})
    assert response.status_code == 200
    return secret, shown_codes(response.content.decode())


def log_in(client, username="alice", password=PASSWORD, **extra):
    return client.post(LOGIN_URL, {"username": username, "password": password, **extra})


def logged_in_as(client):
    """Who the session is logged in as, asked of a page that needs a log-in."""
    response = client.get(reverse("account_settings"))
    return response.context["user"].get_username() if response.status_code == 200 else None


def field_is_invalid(page, name):
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)
    described = re.search(r'aria-describedby="([^"]+)"', tag)
    return 'aria-invalid="true"' in tag and described is not None


@pytest.fixture
def frozen():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


@pytest.fixture
def secured(owner, frozen):
    """The owner with two-factor on (set up a minute ago), logged out; their secret and codes."""
    client = Client()
    client.force_login(owner)
    secret, codes = turn_on(client)
    frozen.shift(60)
    return secret, codes


# Setting it up


def test_setting_up_shows_a_qr_code_and_the_secret_and_changes_nothing_until_confirmed(
    owner_client, owner
):
    page = owner_client.get(SECURITY_URL).content.decode()
    assert "Off." in page and "two-factor-secret" not in page
    assert owner_client.post(SECURITY_URL).url == SECURITY_URL
    page = owner_client.get(SECURITY_URL).content.decode()
    device = TOTPDevice.objects.get(user=owner)
    assert not device.confirmed
    assert shown_secret(page).replace(" ", "") == base64.b32encode(device.bin_key).decode()
    assert re.search(r'<img class="kj-qr" src="data:image/svg\+xml[^"]+" alt="QR code', page)
    code_input = re.search(r'<input[^>]*name="otp_token"[^>]*>', page).group(0)
    assert 'autocomplete="one-time-code"' in code_input and 'inputmode="numeric"' in code_input
    assert re.search(r'<label[^>]*for="id_otp_token"[^>]*>\s*Code from your app', page)
    # Not on yet: the password alone still logs in.
    assert log_in(Client()).url == reverse("journal:today")


def test_setting_up_twice_shows_the_same_secret(owner_client, owner):
    owner_client.post(SECURITY_URL)
    first = shown_secret(owner_client.get(SECURITY_URL).content.decode())
    owner_client.post(SECURITY_URL)
    assert shown_secret(owner_client.get(SECURITY_URL).content.decode()) == first
    assert TOTPDevice.objects.filter(user=owner).count() == 1


def test_a_wrong_first_code_says_so_at_the_field_and_leaves_it_off(owner_client, owner):
    owner_client.post(SECURITY_URL)
    secret = shown_secret(owner_client.get(SECURITY_URL).content.decode())
    wrong = f"{(int(app_code(secret)) + 1) % 1_000_000:06d}"
    for token, message in [
        (wrong, "That code is not right."),
        ("12ab56", "Enter the 6 digits your app shows"),
        ("", "This field is required."),
    ]:
        response = owner_client.post(CONFIRM_URL, {"otp_token": token})
        page = response.content.decode()
        assert response.status_code == 200 and message in page
        assert field_is_invalid(page, "otp_token")
        assert shown_secret(page) == secret
    assert not two_factor.is_on(owner)
    assert not StaticToken.objects.exists()


def test_the_first_right_code_turns_it_on_with_ten_recovery_codes_shown_once(owner_client, owner):
    _, codes = turn_on(owner_client)
    assert two_factor.is_on(owner)
    assert len(codes) == len(set(codes)) == 10
    assert all(re.fullmatch(r"[0-9a-z]{4}(-[0-9a-z]{4}){3}", code) for code in codes)
    page = owner_client.get(SECURITY_URL).content.decode()
    assert "On." in page and "Recovery codes left: <strong>10</strong>" in page
    assert not any(code in page for code in codes)
    assert "two-factor-secret" not in page
    # Only hashes are stored: no code appears anywhere in the database, with or without dashes.
    stored = table_text()
    assert not any(code in stored or code.replace("-", "") in stored for code in codes)
    assert StaticToken.objects.filter(device__user=owner).count() == 10


def test_confirming_again_after_it_is_on_makes_no_new_codes(owner_client, owner, frozen):
    secret, _ = turn_on(owner_client)
    tokens = set(StaticToken.objects.values_list("token", flat=True))
    frozen.shift(30)
    response = owner_client.post(CONFIRM_URL, {"otp_token": app_code(secret)})
    assert response.url == SECURITY_URL
    assert set(StaticToken.objects.values_list("token", flat=True)) == tokens


def test_a_code_with_nothing_set_up_changes_nothing(owner_client, owner):
    assert owner_client.post(CONFIRM_URL, {"otp_token": "123456"}).url == SECURITY_URL
    assert not TOTPDevice.objects.exists() and not two_factor.is_on(owner)


# Logging in


def test_the_password_leads_to_the_code_step_without_logging_in(client, owner, secured):
    secret, _ = secured
    response = log_in(client, next="/insights/")
    assert response.url == CODE_URL
    # Half way: anonymous to every page, and the session names nobody as logged in.
    assert logged_in_as(client) is None
    assert client.get(reverse("journal:history")).url.startswith(LOGIN_URL)
    assert "_auth_user_id" not in client.session
    page = client.get(CODE_URL).content.decode()
    code_input = re.search(r'<input[^>]*name="otp_token"[^>]*>', page).group(0)
    assert 'autocomplete="one-time-code"' in code_input and 'inputmode="numeric"' in code_input
    assert re.search(r'<label[^>]*for="id_otp_token"', page)

    response = client.post(CODE_URL, {"otp_token": app_code(secret)})
    assert response.url == "/insights/"
    assert logged_in_as(client) == "alice"


def test_without_two_factor_the_password_alone_logs_in(client, owner):
    assert log_in(client).url == reverse("journal:today")
    assert logged_in_as(client) == "alice"


def test_a_wrong_code_says_so_at_the_field_and_does_not_log_in(client, owner, secured, frozen):
    secret, _ = secured
    log_in(client)
    wrong = f"{(int(app_code(secret)) + 1) % 1_000_000:06d}"
    response = client.post(CODE_URL, {"otp_token": wrong})
    page = response.content.decode()
    assert response.status_code == 200
    assert "That code is not right, or was used already." in page
    assert field_is_invalid(page, "otp_token")
    assert logged_in_as(client) is None
    # django-otp checks no code for a second after a wrong one, and says so.
    response = client.post(CODE_URL, {"otp_token": app_code(secret)})
    assert "Too many wrong codes in a row: wait 1 seconds" in response.content.decode()
    frozen.shift(1)
    assert client.post(CODE_URL, {"otp_token": app_code(secret)}).status_code == 302
    assert logged_in_as(client) == "alice"


def test_a_used_code_cannot_be_used_again_in_its_time_step(owner, secured, frozen):
    secret, _ = secured
    code = app_code(secret)
    phone, thief = Client(), Client()
    log_in(phone)
    assert phone.post(CODE_URL, {"otp_token": code}).status_code == 302
    frozen.shift(5)
    log_in(thief)
    response = thief.post(CODE_URL, {"otp_token": code})
    assert "That code is not right, or was used already." in response.content.decode()
    assert logged_in_as(thief) is None
    # The next time step's code is fresh, and works.
    frozen.shift(30)
    assert thief.post(CODE_URL, {"otp_token": app_code(secret)}).status_code == 302
    assert logged_in_as(thief) == "alice"


@pytest.mark.django_db(transaction=True)
def test_one_code_sent_twice_at_once_logs_in_once():
    alice = make_user("alice")
    with time_machine.travel(NOON, tick=False) as frozen:
        setup = Client()
        setup.force_login(alice)
        secret, _ = turn_on(setup)
        frozen.shift(60)
        clients = [Client(), Client(), Client()]
        for client in clients:
            log_in(client)
        code = app_code(secret)
        responses = at_once(
            *(
                lambda client=client: client.post(CODE_URL, {"otp_token": code})
                for client in clients
            )
        )
    assert sorted(response.status_code for response in responses) == [200, 200, 302]


def test_a_recovery_code_works_once(owner, secured, frozen):
    _, codes = secured
    first, second = Client(), Client()
    log_in(first)
    page = first.get(RECOVERY_URL).content.decode()
    code_input = re.search(r'<input[^>]*name="otp_token"[^>]*>', page).group(0)
    assert 'inputmode="numeric"' not in code_input  # letters too
    # Typed in capitals, without dashes: still the code.
    typed = codes[3].upper().replace("-", " ")
    assert first.post(RECOVERY_URL, {"otp_token": typed}).status_code == 302
    assert logged_in_as(first) == "alice"
    assert two_factor.recovery_codes_left(owner) == 9

    log_in(second)
    response = second.post(RECOVERY_URL, {"otp_token": codes[3]})
    page = response.content.decode()
    assert "That recovery code is not right, or was used already." in page
    assert field_is_invalid(page, "otp_token")
    assert logged_in_as(second) is None
    frozen.shift(1)  # django-otp's pause after a wrong code
    assert second.post(RECOVERY_URL, {"otp_token": codes[4]}).status_code == 302


def test_wrong_codes_count_towards_the_lockout_with_wrong_passwords(
    client, owner, secured, settings, frozen
):
    secret, codes = secured
    assert settings.AXES_FAILURE_LIMIT == 5
    log_in(client, password="a-guess")
    log_in(client, password="another-guess")
    log_in(client)
    client.post(CODE_URL, {"otp_token": "000000"})
    client.post(RECOVERY_URL, {"otp_token": "aaaa-bbbb-cccc-dddd"})
    frozen.shift(2)  # past django-otp's pause after a wrong code
    locked = client.post(CODE_URL, {"otp_token": "111111"})
    assert locked.status_code == 429
    assert AccessAttempt.objects.get(username="alice").failures_since_start == 5
    # Locked out: neither the right code nor a recovery code gets in, and none is used up.
    assert client.post(CODE_URL, {"otp_token": app_code(secret)}).status_code == 429
    assert client.post(RECOVERY_URL, {"otp_token": codes[0]}).status_code == 429
    assert log_in(Client()).status_code == 429
    assert logged_in_as(client) is None
    assert two_factor.recovery_codes_left(owner) == 10
    # django-axes keeps the form data of failures; a code is masked there like a password.
    attempt = AccessAttempt.objects.get(username="alice")
    assert "aaaa-bbbb" not in attempt.post_data and "000000" not in attempt.post_data


def test_the_code_step_lapses_after_five_minutes(client, owner, secured, frozen):
    secret, _ = secured
    log_in(client)
    frozen.shift(two_factor.PENDING_LOGIN_SECONDS)
    response = client.post(CODE_URL, {"otp_token": app_code(secret)}, follow=True)
    assert response.redirect_chain == [(LOGIN_URL, 302)]
    assert "Log in with your password first" in response.content.decode()
    assert logged_in_as(client) is None
    # And it is gone for good: going back is no way in.
    frozen.shift(-60)
    assert client.post(CODE_URL, {"otp_token": app_code(secret)}).url == LOGIN_URL


def test_a_password_change_ends_a_pending_code_step(client, owner, secured):
    secret, _ = secured
    log_in(client)
    owner.set_password("a-brand-new-password-7")
    owner.save()
    assert client.post(CODE_URL, {"otp_token": app_code(secret)}).url == LOGIN_URL
    assert logged_in_as(client) is None


def test_nobody_reaches_the_code_step_without_the_password_first(client, owner, secured):
    secret, codes = secured
    for url in (CODE_URL, RECOVERY_URL):
        assert client.get(url).url == LOGIN_URL
        # Naming the person in the form does nothing: the step asks the session only.
        response = client.post(url, {"otp_token": app_code(secret), "username": "alice"})
        assert response.url == LOGIN_URL
    assert logged_in_as(client) is None
    assert two_factor.recovery_codes_left(owner) == 10
    # The code was not used up either: its owner still logs in with it.
    owners = Client()
    log_in(owners)
    assert owners.post(CODE_URL, {"otp_token": app_code(secret)}).status_code == 302


def test_a_stranger_half_way_through_their_own_log_in_cannot_use_someone_elses_code(
    owner, stranger, secured
):
    secret, codes = secured
    client = Client()
    client.force_login(stranger)
    stranger_secret, _ = turn_on(client)
    client.post(reverse("logout"))
    log_in(client, username="mallory")
    client.post(CODE_URL, {"otp_token": app_code(secret), "user": str(owner.pk)})
    client.post(RECOVERY_URL, {"otp_token": codes[0], "username": "alice"})
    assert logged_in_as(client) is None
    assert two_factor.recovery_codes_left(owner) == 10


def test_staff_log_into_the_admin_through_the_code_step(client, owner, secured):
    secret, _ = secured
    owner.is_staff = owner.is_superuser = True
    owner.save()
    response = client.post(
        reverse("admin:login"), {"username": "alice", "password": PASSWORD}, follow=True
    )
    assert logged_in_as(client) is None
    assert response.redirect_chain[-1][0].startswith(LOGIN_URL)
    log_in(client, next=reverse("admin:index"))
    assert client.post(CODE_URL, {"otp_token": app_code(secret)}).url == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200


# Turning it off


def turn_off(client, password, token):
    return client.post(OFF_URL, {"password": password, "otp_token": token})


def test_turning_off_takes_the_password_and_a_code(client, owner, secured):
    secret, _ = secured
    log_in(client)
    client.post(CODE_URL, {"otp_token": app_code(secret)})
    page = client.get(SECURITY_URL).content.decode()
    assert re.search(r'<label[^>]*for="id_password"', page)
    assert re.search(r'<label[^>]*for="id_otp_token"', page)
    for password, token, field, message in [
        ("a-guess", "123456", "password", "That password is not right."),
        (PASSWORD, "123456", "otp_token", "That code is not right."),
        (PASSWORD, "", "otp_token", "Enter a code to turn off two-factor sign-in."),
        ("", "123456", "password", "Enter your password to turn off two-factor sign-in."),
    ]:
        response = turn_off(client, password, token)
        page = response.content.decode()
        assert response.status_code == 200 and message in page
        assert field_is_invalid(page, field)
        assert two_factor.is_on(owner)
    assert AccessAttempt.objects.get(username="alice").failures_since_start == 2


@pytest.mark.parametrize("use_recovery_code", [False, True])
def test_the_password_and_a_right_code_turn_it_off(
    client, owner, secured, frozen, use_recovery_code
):
    secret, codes = secured
    log_in(client)
    client.post(CODE_URL, {"otp_token": app_code(secret)})
    frozen.shift(30)
    token = codes[0] if use_recovery_code else app_code(secret)
    response = turn_off(client, PASSWORD, token)
    assert response.url == SECURITY_URL
    assert "Two-factor sign-in is off." in client.get(SECURITY_URL).content.decode()
    assert not TOTPDevice.objects.filter(user=owner).exists()
    assert not StaticToken.objects.exists()
    assert log_in(Client()).url == reverse("journal:today")


# Your data


def test_the_json_export_says_two_factor_is_on_and_never_the_secret(client, owner, secured):
    secret, codes = secured
    log_in(client)
    client.post(RECOVERY_URL, {"otp_token": codes[0]})
    response = client.get(reverse("account_export"))
    data = json.loads(response.content)
    device = TOTPDevice.objects.get(user=owner)
    assert data["two_factor"] == {
        "on": True,
        "app_added_at": device.created_at.isoformat(),
        "app_code_last_used_at": device.last_used_at.isoformat(),
        "recovery_codes_left": 9,
    }
    text = response.content.decode()
    assert secret.replace(" ", "") not in text and device.key not in text
    assert not any(code in text for code in codes)


def test_the_json_export_says_two_factor_is_off(owner_client):
    data = json.loads(owner_client.get(reverse("account_export")).content)
    assert data["two_factor"] == {"on": False}


def test_deleting_the_account_leaves_no_device_code_or_half_log_in(db, stranger, frozen):
    before = table_counts()
    wren = make_user("wren-deleted")
    phone, laptop = Client(), Client()
    phone.force_login(wren)
    secret, _ = turn_on(phone)
    frozen.shift(30)
    # Another browser half way through logging in, with its own session.
    log_in(laptop, username="wren-deleted")
    assert laptop.get(CODE_URL).status_code == 200
    assert Session.objects.count() == 2

    response = phone.post(reverse("account_delete"), {"password": PASSWORD})

    assert response.status_code == 302
    assert table_counts() == before
    assert not get_user_model().objects.filter(username="wren-deleted").exists()
    assert "wren" not in table_text()
    assert laptop.get(CODE_URL).url == LOGIN_URL
