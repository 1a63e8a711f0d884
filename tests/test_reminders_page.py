"""/reminders/: the settings, the address confirmation and the one-click unsubscribe."""

import base64
import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from kindjournal.reminders.forms import NO_EMAIL_MESSAGE
from kindjournal.reminders.models import Reminder, mask_of
from kindjournal.reminders.views import CONFIRMATIONS_PER_HOUR

URL = reverse("reminders:settings")
NOW = datetime.datetime(2026, 12, 3, 12, 0, tzinfo=datetime.UTC)
VALID = {"enabled": "on", "time": "20:30", "weekdays": ["0", "2", "4"], "skip_if_logged": "on"}


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def mail_possible(settings):
    # A server with a mail server set up; the tests of one without turn it off.
    settings.PASSWORD_RESET_BY_EMAIL = True


def confirmation_url(message):
    [line] = [line for line in message.body.splitlines() if "/reminders/confirm/" in line]
    assert line == line.strip() and line.startswith("http://testserver/")
    return line.removeprefix("http://testserver")


def test_reminders_are_off_by_default_with_every_day_and_skip_when_logged(owner_client):
    response = owner_client.get(URL)
    assert response.status_code == 200
    form = response.context["form"]
    assert form["enabled"].value() is False
    assert form["weekdays"].value() == [str(day) for day in range(7)]
    assert form["skip_if_logged"].value() is True
    assert "No reminder is planned." in response.content.decode()


def test_settings_link_to_reminders(owner_client):
    assert URL in owner_client.get(reverse("account_settings")).content.decode()


def test_saving_plans_the_next_reminder_in_the_persons_zone(owner_client, owner):
    owner.profile.time_zone = "America/New_York"
    owner.profile.save()
    response = owner_client.post(URL, VALID, follow=True)
    assert "Reminder settings saved." in response.content.decode()
    reminder = Reminder.objects.get(user=owner)
    assert reminder.weekday_set == {0, 2, 4}
    assert reminder.time == datetime.time(20, 30)
    assert reminder.skip_if_logged and not reminder.email
    # Thursday 3 December 2026: the next chosen day is Friday, 20:30 EST = 01:30 UTC Saturday.
    assert reminder.next_due == datetime.datetime(2026, 12, 5, 1, 30, tzinfo=datetime.UTC)
    assert "Next reminder: Friday 4 December, 20:30." in response.content.decode()


def test_turning_reminders_off_plans_nothing(owner_client, owner):
    owner_client.post(URL, VALID)
    owner_client.post(URL, {**VALID, "enabled": ""})
    assert Reminder.objects.get(user=owner).next_due is None


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"time": "25:00"}, "time", "Enter a time as HH:MM, such as 20:00."),
        ({"time": "8pm"}, "time", "Enter a time as HH:MM, such as 20:00."),
        ({"time": ""}, "time", "Enter a time, such as 20:00."),
        ({"weekdays": []}, "weekdays", "Choose at least one day of the week."),
        ({"weekdays": ["7"]}, "weekdays", "Choose days from the list."),
        ({"email": "on", "address": "not an address"}, "address", "Enter a valid email address."),
        ({"email": "on", "address": ""}, "address", "Enter the address to send reminders to."),
        (
            {"email": "on", "address": "a" * 288 + "@example.org"},
            "address",
            "Ensure this value has at most 254 characters (it has 300).",
        ),
    ],
)
def test_bad_input_gets_a_form_error_and_changes_nothing(
    owner_client, owner, change, field, message
):
    owner_client.post(URL, VALID)
    before = list(Reminder.objects.values())
    response = owner_client.post(URL, {**VALID, **change})
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    html = response.content.decode()
    assert message in html
    assert re.search(rf'name="{field}"[^>]*aria-invalid="true"', html) or field == "weekdays"
    assert list(Reminder.objects.values()) == before
    assert mail.outbox == []


AGAIN_URL = reverse("reminders:send_confirmation_again")


def test_an_address_waiting_for_confirmation_can_have_its_link_sent_again(owner_client, owner):
    owner_client.post(URL, {**VALID, "email": "on", "address": "alice@example.org"})
    page = owner_client.get(URL).content.decode()
    assert "Send the confirmation again" in page
    assert f'action="{AGAIN_URL}"' in page

    response = owner_client.post(AGAIN_URL, follow=True)
    assert "We sent a link to alice@example.org" in response.content.decode()
    first, again = mail.outbox
    assert again.to == ["alice@example.org"]
    Client().post(confirmation_url(again))
    assert Reminder.objects.get(user=owner).email_ready
    assert "Send the confirmation again" not in owner_client.get(URL).content.decode()


def test_sending_the_confirmation_again_shares_the_hourly_limit(owner_client, owner):
    owner_client.post(URL, {**VALID, "email": "on", "address": "alice@example.org"})
    for _ in range(CONFIRMATIONS_PER_HOUR):
        response = owner_client.post(AGAIN_URL, follow=True)
    assert len(mail.outbox) == CONFIRMATIONS_PER_HOUR
    assert "We could not send the confirmation e-mail now." in response.content.decode()
    with time_machine.travel(NOW + datetime.timedelta(hours=2), tick=False):
        owner_client.post(AGAIN_URL)
    assert len(mail.outbox) == CONFIRMATIONS_PER_HOUR + 1


@pytest.mark.parametrize("state", ["no reminder", "e-mail unticked", "confirmed"])
def test_nothing_waiting_for_confirmation_sends_nothing_again(owner_client, owner, state):
    if state == "e-mail unticked":
        owner_client.post(URL, {**VALID, "address": "alice@example.org"})
    if state == "confirmed":
        owner_client.post(URL, {**VALID, "email": "on", "address": "alice@example.org"})
        Client().post(confirmation_url(mail.outbox[0]))
    mail.outbox.clear()
    assert "Send the confirmation again" not in owner_client.get(URL).content.decode()
    response = owner_client.post(AGAIN_URL, follow=True)
    assert "No address is waiting for confirmation" in response.content.decode()
    assert mail.outbox == []


def test_sending_the_confirmation_again_is_post_only(owner_client):
    assert owner_client.get(AGAIN_URL).status_code == 405


def test_an_empty_post_is_a_form_error_not_a_500(owner_client, owner):
    response = owner_client.post(URL, {})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"time", "weekdays"}
    assert not Reminder.objects.exists()


def test_saving_twice_keeps_one_reminder(owner_client, owner):
    owner_client.post(URL, VALID)
    owner_client.post(URL, {**VALID, "time": "07:00"})
    assert Reminder.objects.get(user=owner).time == datetime.time(7, 0)


def test_setting_an_address_sends_a_confirmation_link_and_leaves_it_unconfirmed(
    owner_client, owner
):
    owner_client.post(URL, {**VALID, "email": "on", "address": "alice@example.org"})
    [message] = mail.outbox
    assert message.to == ["alice@example.org"]
    assert "48 hours" in message.body
    reminder = Reminder.objects.get(user=owner)
    assert reminder.email and not reminder.email_confirmed and not reminder.email_ready
    page = owner_client.get(URL).content.decode()
    assert "Waiting for confirmation" in page


def test_the_confirmation_link_asks_then_confirms_without_logging_in(owner_client, owner):
    owner_client.post(URL, {**VALID, "email": "on", "address": "alice@example.org"})
    url = confirmation_url(mail.outbox[0])
    anonymous = Client()
    page = anonymous.get(url)
    assert "alice@example.org" in page.content.decode()
    assert not Reminder.objects.get(user=owner).email_confirmed  # a mail scanner's GET
    response = anonymous.post(url)
    assert "reminders can now go to this address" in response.content.decode()
    assert Reminder.objects.get(user=owner).email_ready


def test_the_confirmation_link_expires_after_48_hours(owner_client, owner):
    owner_client.post(URL, {**VALID, "email": "on", "address": "alice@example.org"})
    url = confirmation_url(mail.outbox[0])
    with time_machine.travel(NOW + datetime.timedelta(hours=48, seconds=1), tick=False):
        response = Client().post(url)
    assert response.status_code == 404
    assert "This link is not valid" in response.content.decode()
    assert not Reminder.objects.get(user=owner).email_confirmed


def test_a_link_for_an_address_since_changed_confirms_nothing_and_says_why(owner_client, owner):
    owner_client.post(URL, {**VALID, "email": "on", "address": "old@example.org"})
    old_link = confirmation_url(mail.outbox[0])
    owner_client.post(URL, {**VALID, "email": "on", "address": "new@example.org"})
    for response in (Client().get(old_link), Client().post(old_link)):
        assert response.status_code == 404
        page = response.content.decode()
        assert "This link was sent for an address that is no longer the one" in page
        assert "new@example.org" not in page and "old@example.org" not in page
    reminder = Reminder.objects.get(user=owner)
    assert (reminder.email_address, reminder.email_confirmed) == ("new@example.org", False)
    Client().post(confirmation_url(mail.outbox[1]))
    assert Reminder.objects.get(user=owner).email_ready


def test_a_link_for_a_cleared_address_confirms_nothing(owner_client, owner):
    owner_client.post(URL, {**VALID, "email": "on", "address": "old@example.org"})
    old_link = confirmation_url(mail.outbox[0])
    owner_client.post(URL, {**VALID, "address": ""})
    response = Client().post(old_link)
    assert "no longer the one in your reminder settings" in response.content.decode()
    assert not Reminder.objects.get(user=owner).email_confirmed


def test_the_confirmation_link_does_not_carry_the_address(owner_client):
    owner_client.post(URL, {**VALID, "email": "on", "address": "alice@example.org"})
    token = confirmation_url(mail.outbox[0]).split("/")[-2]
    signed = token.split(":")[0]
    readable = base64.urlsafe_b64decode(signed + "=" * (-len(signed) % 4)).decode()
    assert "alice" not in readable and "example.org" not in readable


def test_a_tampered_token_is_the_same_not_valid_page(client, owner_client):
    owner_client.post(URL, {**VALID, "email": "on", "address": "alice@example.org"})
    url = confirmation_url(mail.outbox[0])
    tampered = url[:-3] + ("A/" if url[-2] != "A" else "B/")
    for wrong in (tampered, reverse("reminders:confirm", args=["x" * 500])):
        assert client.post(wrong).status_code == 404


def test_resaving_the_same_address_sends_no_new_link_and_keeps_the_confirmation(
    owner_client, owner
):
    owner_client.post(URL, {**VALID, "email": "on", "address": "alice@example.org"})
    Client().post(confirmation_url(mail.outbox[0]))
    owner_client.post(URL, {**VALID, "email": "on", "address": "ALICE@example.org"})
    assert len(mail.outbox) == 1
    assert Reminder.objects.get(user=owner).email_confirmed


def test_confirmation_mails_are_limited_per_hour(owner_client, owner):
    for number in range(CONFIRMATIONS_PER_HOUR + 1):
        response = owner_client.post(
            URL, {**VALID, "email": "on", "address": f"a{number}@example.org"}, follow=True
        )
    assert len(mail.outbox) == CONFIRMATIONS_PER_HOUR
    assert "We could not send the confirmation e-mail now." in response.content.decode()


def test_a_new_reminder_offers_the_accounts_own_address(owner_client, owner):
    owner.email = "alice@example.org"
    owner.save()
    assert owner_client.get(URL).context["form"]["address"].value() == "alice@example.org"


def test_an_address_saved_with_email_unticked_gets_no_mail_until_it_is_ticked(owner_client, owner):
    owner_client.post(URL, {**VALID, "address": "alice@example.org"})
    reminder = Reminder.objects.get(user=owner)
    assert (reminder.email, reminder.email_address) == (False, "alice@example.org")
    assert mail.outbox == []
    assert "Waiting for confirmation" not in owner_client.get(URL).content.decode()

    owner_client.post(URL, {**VALID, "email": "on", "address": "alice@example.org"})
    [message] = mail.outbox
    assert message.to == ["alice@example.org"]


def test_a_cleared_address_is_stored_blank_and_nothing_is_sent(owner_client, owner):
    owner.email = "alice@example.org"
    owner.save()
    owner_client.post(URL, {**VALID, "email": "on", "address": "alice@example.org"})
    Client().post(confirmation_url(mail.outbox[0]))
    mail.outbox.clear()

    response = owner_client.post(URL, {**VALID, "address": ""}, follow=True)
    assert "Reminder settings saved." in response.content.decode()
    reminder = Reminder.objects.get(user=owner)
    assert (reminder.email, reminder.email_address, reminder.email_confirmed) == (False, "", False)
    assert mail.outbox == []
    assert response.context["form"]["address"].value() == ""


def test_without_mail_the_email_channel_is_not_offered(owner_client, settings):
    settings.PASSWORD_RESET_BY_EMAIL = False
    page = owner_client.get(URL).content.decode()
    assert "This server cannot send e-mail, so only notifications are available." in page
    assert 'name="email"' not in page and 'name="address"' not in page


def test_without_mail_a_post_ticking_email_anyway_is_refused(owner_client, owner, settings):
    settings.PASSWORD_RESET_BY_EMAIL = False
    response = owner_client.post(URL, {**VALID, "email": "on", "address": "alice@example.org"})
    assert response.status_code == 200
    assert NO_EMAIL_MESSAGE in response.content.decode()
    assert not Reminder.objects.exists()
    assert mail.outbox == []


def test_without_mail_saving_keeps_the_email_channel_and_address_and_sends_nothing(
    owner_client, owner, settings
):
    owner_client.post(URL, {**VALID, "email": "on", "address": "alice@example.org"})
    mail.outbox.clear()
    settings.PASSWORD_RESET_BY_EMAIL = False
    assert "Send the confirmation again" not in owner_client.get(URL).content.decode()
    response = owner_client.post(AGAIN_URL, follow=True)
    assert NO_EMAIL_MESSAGE in response.content.decode()
    owner_client.post(URL, {**VALID, "time": "07:00"})
    reminder = Reminder.objects.get(user=owner)
    assert (reminder.time, reminder.email) == (datetime.time(7, 0), True)
    assert reminder.email_address == "alice@example.org"
    assert mail.outbox == []


def test_the_reminders_page_is_only_get_and_post(owner_client):
    assert owner_client.put(URL).status_code == 405


@pytest.mark.django_db
def test_the_weekday_mask_cannot_be_empty_in_the_database(owner):
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(user=owner, weekdays=mask_of([]))
