import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import IntegrityError, transaction
from django.test import Client, override_settings
from django.urls import reverse

from kindjournal.accounts.models import Profile, RateLimitCount
from tests.conftest import PASSWORD, make_user
from tests.threads import at_once


def signup(client, **fields):
    data = {"username": "newbie", "password1": PASSWORD, "password2": PASSWORD, **fields}
    return client.post(reverse("signup"), data)


def test_sign_up_creates_the_account_with_the_browsers_time_zone_and_logs_in(client, db):
    response = signup(client, time_zone="Europe/Berlin")
    assert response.status_code == 302 and response.url == "/"
    user = get_user_model().objects.get(username="newbie")
    assert user.profile.time_zone == "Europe/Berlin"
    assert "Today" in client.get("/").content.decode()


def test_sign_up_without_a_time_zone_uses_utc_and_e_mail_is_optional(client, db):
    signup(client, email="")
    assert Profile.objects.get(user__username="newbie").time_zone == "UTC"


def test_sign_up_with_mismatched_or_weak_passwords_shows_why(client, db):
    page = signup(client, password2="something-else-41").content.decode()
    assert "The two password fields didn’t match." in page
    page = signup(client, password1="123", password2="123").content.decode()
    assert "This password is too short." in page
    assert not get_user_model().objects.exists()


def test_sign_up_with_a_time_zone_the_server_does_not_know_falls_back_to_utc(client, db):
    response = signup(client, time_zone="Etc/Unknown")
    assert response.status_code == 302
    assert Profile.objects.get(user__username="newbie").time_zone == "UTC"


def test_sign_up_form_has_the_usual_fields_and_labels(client, db):
    page = client.get(reverse("signup")).content.decode()
    for field, label in [
        ("username", "Username"),
        ("email", "Email"),
        ("password1", "Password"),
        ("password2", "Password confirmation"),
    ]:
        assert re.search(rf'<label\s+for="id_{field}"[^>]*>\s*{label}\b', page), label
    assert 'name="password1"' in page and 'name="password2"' in page


def test_log_in_and_log_out_by_post(client, owner):
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    assert client.get(reverse("journal:history")).status_code == 302


def test_wrong_password_shows_a_message(client, owner):
    page = client.post(reverse("login"), {"username": "alice", "password": "nope"})
    assert "Please enter a correct username and password." in page.content.decode()


def test_settings_change_time_zone_display_name_and_email(owner_client, owner):
    response = owner_client.post(
        reverse("account_settings"),
        {
            "display_name": "Alice W.",
            "time_zone": "America/New_York",
            "email": "a@example.org",
            "current_password": PASSWORD,
        },
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert (owner.profile.display_name, owner.profile.time_zone, owner.email) == (
        "Alice W.",
        "America/New_York",
        "a@example.org",
    )


def test_settings_refuse_an_unknown_time_zone(owner_client, owner):
    response = owner_client.post(reverse("account_settings"), {"time_zone": "Nowhere/City"})
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    owner.profile.refresh_from_db()
    assert owner.profile.time_zone == "UTC"


@override_settings(PASSWORD_RESET_BY_EMAIL=True)
def test_with_e_mail_set_up_password_reset_sends_an_e_mail_with_a_link(client, owner):
    owner.email = "alice@example.org"
    owner.save()
    assert 'name="email"' in client.get(reverse("password_reset")).content.decode()
    client.post(reverse("password_reset"), {"email": "alice@example.org"})
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body


@override_settings(PASSWORD_RESET_BY_EMAIL=False)
def test_without_e_mail_password_reset_says_to_ask_the_administrator_and_sends_nothing(
    client, owner
):
    owner.email = "alice@example.org"
    owner.save()
    for response in (
        client.get(reverse("password_reset")),
        client.post(reverse("password_reset"), {"email": "alice@example.org"}),
    ):
        assert response.status_code == 200
        page = response.content.decode()
        assert "E-mail isn’t set up on this server" in page
        assert "ask the administrator" in page
        assert "<form" not in page.split("<main", 1)[1]
    assert mail.outbox == []


def test_password_change_takes_the_old_password_and_sets_the_new_one(owner_client, owner):
    page = owner_client.get(reverse("password_change")).content.decode()
    assert 'name="old_password"' in page and 'name="new_password1"' in page
    response = owner_client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "n3w-secret-phrase",
            "new_password2": "n3w-secret-phrase",
        },
    )
    assert response.url == reverse("password_change_done")
    owner.refresh_from_db()
    assert owner.check_password("n3w-secret-phrase")


def test_an_empty_sign_up_post_shows_every_missing_field_and_counts_as_an_attempt(client, db):
    response = client.post(reverse("signup"))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("This field is required.") >= 3  # username and both passwords
    assert RateLimitCount.objects.get(scope="signup").count == 1
    assert not get_user_model().objects.exists()


def test_an_empty_settings_post_shows_errors_and_changes_nothing(owner_client, owner):
    Profile.objects.filter(user=owner).update(time_zone="Europe/Paris", display_name="Al")
    response = owner_client.post(reverse("account_settings"))
    assert response.status_code == 200
    assert "Settings saved." not in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    profile = Profile.objects.get(user=owner)
    assert (profile.time_zone, profile.display_name) == ("Europe/Paris", "Al")


SETTINGS = {"display_name": "Al", "time_zone": "UTC"}


def change_password(client, old_password):
    new = {"new_password1": "n3w-secret-phrase", "new_password2": "n3w-secret-phrase"}
    return client.post(reverse("password_change"), {"old_password": old_password, **new})


def test_wrong_old_passwords_count_towards_the_log_in_lockout(owner_client, owner, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        wrong = change_password(owner_client, "a-guess")
        assert "Your old password was entered incorrectly." in wrong.content.decode()
    assert change_password(owner_client, "a-guess").status_code == 429
    assert AccessAttempt.objects.get(username="alice").failures_since_start == 5
    # Locked out now: the right password changes nothing either.
    assert change_password(owner_client, PASSWORD).status_code == 429
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)


def test_the_lockout_records_keep_no_password_typed_into_a_form(owner_client, owner):
    owner.email = "alice@example.org"
    owner.save()
    change_password(owner_client, "a-guess-at-the-old-one")
    owner_client.post(
        reverse("account_settings"),
        {**SETTINGS, "email": "thief@example.net", "current_password": "another-guess"},
    )
    stored = " ".join(AccessAttempt.objects.values_list("post_data", flat=True))
    assert AccessAttempt.objects.get(username="alice").failures_since_start == 2
    for typed in ("a-guess-at-the-old-one", "n3w-secret-phrase", "another-guess"):
        assert typed not in stored


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("", "Enter your password to change the e-mail address."),
        ("a-guess", "That password is not right. The e-mail address was not changed."),
    ],
)
def test_changing_the_e_mail_address_takes_the_password(owner_client, owner, password, message):
    owner.email = "alice@example.org"
    owner.save()
    data = {**SETTINGS, "email": "thief@example.net", "current_password": password}
    response = owner_client.post(reverse("account_settings"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert re.search(r'name="current_password"[^>]*aria-invalid="true"', page) or re.search(
        r'aria-invalid="true"[^>]*name="current_password"', page
    )
    owner.refresh_from_db()
    assert owner.email == "alice@example.org"
    assert Profile.objects.get(user=owner).display_name == ""


def test_wrong_passwords_for_an_e_mail_change_count_towards_the_lockout(
    owner_client, owner, settings
):
    data = {**SETTINGS, "email": "thief@example.net", "current_password": "a-guess"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        owner_client.post(reverse("account_settings"), data)
    assert AccessAttempt.objects.get(username="alice").failures_since_start == 5
    right = owner_client.post(reverse("account_settings"), {**data, "current_password": PASSWORD})
    assert right.status_code == 429
    owner.refresh_from_db()
    assert owner.email == ""


def test_settings_without_an_e_mail_change_need_no_password(owner_client, owner):
    response = owner_client.post(reverse("account_settings"), {**SETTINGS, "email": ""})
    assert response.status_code == 302
    assert Profile.objects.get(user=owner).display_name == "Al"
    assert not AccessAttempt.objects.exists()


# One account per username in any letter case


def signup_in_a_fresh_client(username):
    return signup(Client(), username=username)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "usernames",
    [["mainrace"] * 3, ["Casey", "casey", "CASEY"], ["Élodie", "élodie", "ÉLODIE"]],
)
def test_simultaneous_sign_ups_for_one_username_make_one_account(usernames):
    responses = at_once(*(lambda name=name: signup_in_a_fresh_client(name) for name in usernames))
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200, 200, 302], responses
    for response in responses:
        if response.status_code == 200:
            assert "A user with that username already exists." in response.content.decode()
    [user] = get_user_model().objects.all()
    assert user.username in usernames
    assert Profile.objects.get().user == user


def test_the_database_refuses_a_username_differing_only_in_letter_case(owner):
    with pytest.raises(IntegrityError), transaction.atomic():
        get_user_model().objects.create_user("ALICE", password=PASSWORD)


def test_sign_up_refuses_a_username_taken_in_another_letter_case(client, owner):
    response = signup(client, username="Alice")
    assert "A user with that username already exists." in response.content.decode()
    assert get_user_model().objects.count() == 1


# SQLite's LOWER (and so the index) and LIKE (Django's iexact) fold ASCII letters only.
@pytest.mark.parametrize(
    ("taken", "typed"), [("Élodie", "élodie"), ("straße", "STRASSE"), ("Οδυσσεύς", "ΟΔΥΣΣΕΎΣ")]
)
def test_sign_up_refuses_a_username_taken_in_another_letter_case_beyond_ascii(
    client, db, taken, typed
):
    make_user(taken)
    response = signup(client, username=typed)
    assert response.status_code == 200
    assert "A user with that username already exists." in response.content.decode()
    assert list(get_user_model().objects.values_list("username", flat=True)) == [taken]


@pytest.mark.parametrize("typed", ["casey", "CASEY", "Casey"])
def test_log_in_takes_the_username_in_any_letter_case(client, db, typed):
    make_user("Casey")
    response = client.post(reverse("login"), {"username": typed, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("account_settings")).context["user"].username == "Casey"


def test_the_lockout_counts_a_username_however_it_is_typed(client, db, settings):
    make_user("Casey")
    for typed in ["casey", "CASEY", "Casey", "cASEY"]:
        client.post(reverse("login"), {"username": typed, "password": "a-guess"})
    assert AccessAttempt.objects.get().username == "Casey"
    assert (
        client.post(reverse("login"), {"username": "casEY", "password": "a-guess"}).status_code
        == 429
    )
    right = client.post(reverse("login"), {"username": "casey", "password": PASSWORD})
    assert right.status_code == 429
