"""`send_reminders`: what is due goes once, on the person's clock, with nothing private in it."""

import datetime
import email
import io
import logging

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from kindjournal.journal.models import DayEntry, KindnessAct
from kindjournal.reminders.models import Reminder
from kindjournal.reminders.sending import send_due
from tests.conftest import make_user
from tests.reminders_helpers import due_reminder, free_port, smtp_settings, smtp_sink
from tests.threads import at_once

UTC = datetime.UTC
EVENING = datetime.time(20, 0)
PLANNED = datetime.datetime(2026, 12, 3, 12, 0, tzinfo=UTC)  # a Thursday
AT_EIGHT = datetime.datetime(2026, 12, 3, 20, 0, 30, tzinfo=UTC)
SECRET = "private words 5c1d"


def run(now):
    with time_machine.travel(now, tick=False):
        return send_due()


def test_a_due_reminder_goes_once_by_email_and_the_next_day_is_planned(owner):
    due_reminder(owner, at=EVENING, now=PLANNED)
    assert run(PLANNED)["email"] == 0  # not yet due
    assert run(AT_EIGHT)["email"] == 1
    assert run(AT_EIGHT + datetime.timedelta(minutes=1))["email"] == 0
    [message] = mail.outbox
    assert message.to == ["alice@example.org"]
    reminder = Reminder.objects.get(user=owner)
    assert reminder.next_due == datetime.datetime(2026, 12, 4, 20, 0, tzinfo=UTC)
    assert reminder.last_day == datetime.date(2026, 12, 3)


def test_the_email_links_the_day_has_both_parts_and_nothing_private(owner):
    due_reminder(owner, at=EVENING, now=PLANNED, skip_if_logged=False)
    day = datetime.date(2026, 12, 3)
    DayEntry.objects.create(user=owner, date=day, mood=2, note=SECRET, recorded_on=day)
    KindnessAct.objects.create(user=owner, date=day, description=SECRET)
    run(AT_EIGHT)
    [message] = mail.outbox
    assert message.subject.startswith("KindJournal")
    assert "http://testserver/day/2026-12-03/" in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html" and 'href="http://testserver/day/2026-12-03/"' in html
    raw = message.message().as_string()
    assert SECRET not in raw and "mood" not in message.subject.lower()
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<http://testserver/reminders/unsubscribe/")


def test_a_reminder_in_the_last_minutes_of_the_day_links_that_day(owner):
    due_reminder(owner, at=datetime.time(23, 58), now=PLANNED, time_zone="Europe/Paris")
    run(datetime.datetime(2026, 12, 3, 22, 59, tzinfo=UTC))  # 23:59 in Paris
    assert "http://testserver/day/2026-12-03/" in mail.outbox[0].body


def test_the_one_click_unsubscribe_turns_off_email_only_without_logging_in(owner):
    due_reminder(owner, at=EVENING, now=PLANNED, skip_if_logged=False)
    run(AT_EIGHT)
    url = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>")
    path = url.removeprefix("http://testserver")
    mail_client = Client(enforce_csrf_checks=True)
    assert "Turn off e-mail reminders" in mail_client.get(path).content.decode()
    assert Reminder.objects.get(user=owner).email  # opening the link changes nothing
    response = mail_client.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    reminder = Reminder.objects.get(user=owner)
    assert not reminder.email
    assert reminder.enabled and reminder.email_confirmed and not reminder.skip_if_logged
    assert Client().post(path[:-3] + "xx/").status_code == 404


def test_a_later_time_saved_the_same_day_after_a_reminder_waits_for_tomorrow(
    owner_client, owner, settings
):
    settings.PASSWORD_RESET_BY_EMAIL = True  # the page offers e-mail reminders
    due_reminder(owner, at=EVENING, now=PLANNED)
    assert run(AT_EIGHT)["email"] == 1
    form = {
        "enabled": "on",
        "time": "21:00",
        "weekdays": [str(day) for day in range(7)],
        "email": "on",
        "address": "alice@example.org",
    }
    with time_machine.travel(AT_EIGHT + datetime.timedelta(minutes=5), tick=False):
        page = owner_client.post(reverse("reminders:settings"), form, follow=True)
    assert "Next reminder: Friday 4 December, 21:00." in page.content.decode()
    assert run(datetime.datetime(2026, 12, 3, 21, 0, 30, tzinfo=UTC))["email"] == 0
    assert run(datetime.datetime(2026, 12, 4, 21, 0, 30, tzinfo=UTC))["email"] == 1
    assert ["/day/2026-12-03/" in m.body for m in mail.outbox] == [True, False]


def test_a_plan_saved_from_a_page_read_before_the_send_does_not_remind_that_day_twice(owner):
    due_reminder(owner, at=EVENING, now=PLANNED)
    # The settings page is read at 19:59; the sender claims and sends at 20:00; the page's save
    # of 21:00 lands after, planned from what it read (no day reminded yet).
    page_read = Reminder.objects.get(user=owner)
    assert run(AT_EIGHT)["email"] == 1
    page_read.time = datetime.time(21, 0)
    page_read.plan("UTC", AT_EIGHT)
    page_read.save_settings(address_changed=False)
    assert Reminder.objects.get(user=owner).due_day == datetime.date(2026, 12, 3)

    counts = run(datetime.datetime(2026, 12, 3, 21, 0, 30, tzinfo=UTC))
    assert counts["email"] == 0
    assert len(mail.outbox) == 1
    reminder = Reminder.objects.get(user=owner)
    assert reminder.next_due == datetime.datetime(2026, 12, 4, 21, 0, tzinfo=UTC)
    assert (reminder.due_day, reminder.last_day) == (
        datetime.date(2026, 12, 4),
        datetime.date(2026, 12, 3),
    )
    assert run(datetime.datetime(2026, 12, 4, 21, 0, 30, tzinfo=UTC))["email"] == 1
    assert "/day/2026-12-04/" in mail.outbox[1].body


def test_an_unconfirmed_address_never_gets_a_reminder(owner):
    due_reminder(owner, at=EVENING, now=PLANNED, email_confirmed=False)
    assert run(AT_EIGHT)["email"] == 0
    assert mail.outbox == []


def test_a_day_already_logged_is_skipped_and_tomorrow_still_planned(owner):
    due_reminder(owner, at=EVENING, now=PLANNED)
    day = datetime.date(2026, 12, 3)
    DayEntry.objects.create(user=owner, date=day, mood=6, recorded_on=day)
    counts = run(AT_EIGHT)
    assert (counts["email"], counts["logged"]) == (0, 1)
    assert Reminder.objects.get(user=owner).due_day == datetime.date(2026, 12, 4)


def test_a_logged_day_still_gets_its_reminder_when_skipping_is_off(owner):
    due_reminder(owner, at=EVENING, now=PLANNED, skip_if_logged=False)
    day = datetime.date(2026, 12, 3)
    DayEntry.objects.create(user=owner, date=day, mood=6, recorded_on=day)
    assert run(AT_EIGHT)["email"] == 1


def test_a_reminder_more_than_two_hours_late_is_skipped_not_sent(owner):
    due_reminder(owner, at=EVENING, now=PLANNED)
    counts = run(AT_EIGHT + datetime.timedelta(hours=2, minutes=1))
    assert (counts["email"], counts["late"]) == (0, 1)
    assert mail.outbox == []
    assert Reminder.objects.get(user=owner).due_day == datetime.date(2026, 12, 4)


def test_a_reminder_two_hours_late_is_still_sent(owner):
    due_reminder(owner, at=EVENING, now=PLANNED)
    assert run(datetime.datetime(2026, 12, 3, 22, 0, tzinfo=UTC))["email"] == 1


def test_only_the_chosen_weekdays_are_sent(owner):
    due_reminder(owner, at=EVENING, now=PLANNED, weekdays=0b1100000)  # Saturday, Sunday
    assert run(AT_EIGHT)["email"] == 0
    assert run(AT_EIGHT + datetime.timedelta(days=2))["email"] == 1  # Saturday the 5th


def test_a_change_of_zone_in_settings_moves_the_reminder_at_once(owner_client, owner):
    due_reminder(owner, at=EVENING, now=PLANNED, time_zone="Europe/London")
    owner_client.post(
        "/accounts/settings/", {"display_name": "", "time_zone": "Asia/Tokyo", "email": ""}
    )
    assert owner.profile.__class__.objects.get(user=owner).time_zone == "Asia/Tokyo"
    # 20:00 in Tokyo on the 4th is 11:00 UTC; London's 20:00 on the 3rd is gone.
    assert run(AT_EIGHT)["email"] == 0
    assert run(datetime.datetime(2026, 12, 4, 11, 0, 5, tzinfo=UTC))["email"] == 1
    assert "/day/2026-12-04/" in mail.outbox[0].body


def test_new_york_reminders_are_sent_across_the_spring_gap(owner):
    due_reminder(
        owner,
        at=datetime.time(2, 30),
        now=datetime.datetime(2026, 3, 7, 12, tzinfo=UTC),
        time_zone="America/New_York",
    )
    assert run(datetime.datetime(2026, 3, 8, 6, 59, tzinfo=UTC))["email"] == 0
    assert run(datetime.datetime(2026, 3, 8, 7, 0, 10, tzinfo=UTC))["email"] == 1  # 03:00 EDT
    assert "/day/2026-03-08/" in mail.outbox[0].body


def test_the_autumn_repeated_hour_sends_once(owner):
    due_reminder(
        owner,
        at=datetime.time(1, 30),
        now=datetime.datetime(2026, 10, 31, 12, tzinfo=UTC),
        time_zone="America/New_York",
    )
    first = run(datetime.datetime(2026, 11, 1, 5, 30, 10, tzinfo=UTC))  # 01:30 EDT
    second = run(datetime.datetime(2026, 11, 1, 6, 30, 10, tzinfo=UTC))  # 01:30 EST
    assert (first["email"], second["email"]) == (1, 0)


def test_a_mail_server_refusing_one_person_stops_nobody_else(db, caplog):
    sink = smtp_sink(refuse={"bob@example.org"})
    try:
        people = [make_user(name) for name in ("ann", "bob", "cy")]
        for person in people:
            due_reminder(person, at=EVENING, now=PLANNED)
        with override_settings(**smtp_settings(sink)), caplog.at_level(logging.ERROR):
            counts = run(AT_EIGHT)
    finally:
        sink.stop()
    assert (counts["email"], counts["email_failed"]) == (2, 1)
    assert sorted(to for [to], _ in sink.handler.messages) == ["ann@example.org", "cy@example.org"]
    [received] = [email.message_from_bytes(content) for _, content in sink.handler.messages][:1]
    assert received.is_multipart()
    assert f"user {people[1].pk} failed" in caplog.text
    assert "bob@example.org" not in caplog.text
    # Bob's next reminder is planned all the same.
    assert Reminder.objects.get(user=people[1]).due_day == datetime.date(2026, 12, 4)


def test_a_mail_server_that_is_down_fails_each_email_once_and_plans_tomorrow(db, caplog):
    people = [make_user(name) for name in ("ann", "bob")]
    for person in people:
        due_reminder(person, at=EVENING, now=PLANNED)
    down = {**smtp_settings(type("Closed", (), {"port": free_port()})), "EMAIL_TIMEOUT": 2}
    with override_settings(**down), caplog.at_level(logging.ERROR):
        counts = run(AT_EIGHT)
    assert (counts["email"], counts["email_failed"]) == (0, 2)
    assert "Cannot reach the mail server for reminders" in caplog.text
    assert {r.due_day for r in Reminder.objects.all()} == {datetime.date(2026, 12, 4)}


def test_the_command_prints_what_it_sent_by_channel(owner):
    due_reminder(owner, at=EVENING, now=PLANNED)
    out = io.StringIO()
    with time_machine.travel(AT_EIGHT, tick=False):
        call_command("send_reminders", stdout=out)
    assert out.getvalue().splitlines()[0] == ("Sent 1 reminders: 1 by e-mail, 0 by notification.")


def queries_for(count, offset):
    people = [make_user(f"p{offset}-{number}") for number in range(count)]
    for person in people:
        due_reminder(person, at=EVENING, now=PLANNED)
    with CaptureQueriesContext(connection) as queries:
        assert run(AT_EIGHT)["email"] == count
    return len(queries)


def test_a_pass_takes_one_query_per_reminder_plus_a_constant(db):
    small = queries_for(4, 0)
    mail.outbox.clear()
    Reminder.objects.update(enabled=False)
    large = queries_for(12, 1)
    assert large - small == 12 - 4  # one claim each; reading and the logged days are batched


@pytest.mark.django_db(transaction=True)
def test_two_senders_at_once_send_each_reminder_once():
    people = [make_user(f"twin{number}") for number in range(30)]
    for person in people:
        due_reminder(person, at=EVENING, now=PLANNED)
    with time_machine.travel(AT_EIGHT, tick=False):
        first, second = at_once(send_due, send_due)
    assert not isinstance(first, Exception) and not isinstance(second, Exception), (first, second)
    assert first["email"] + second["email"] == 30
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        f"twin{number}@example.org" for number in range(30)
    )
