"""When a reminder is due, in the person's own zone: daylight saving, weekdays, zone changes."""

import datetime
import zoneinfo

import pytest
import time_machine

from kindjournal.reminders.models import Reminder, mask_of
from kindjournal.reminders.scheduling import ALL_WEEKDAYS, is_late, moment, next_due

UTC = datetime.UTC
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
LONDON = zoneinfo.ZoneInfo("Europe/London")
KIRITIMATI = zoneinfo.ZoneInfo("Pacific/Kiritimati")


def utc(*parts):
    return datetime.datetime(*parts, tzinfo=UTC)


def test_a_time_in_the_spring_forward_gap_fires_at_the_first_moment_after_it():
    # 02:30 does not exist in New York on 2026-03-08: the clocks go from 02:00 EST to 03:00 EDT.
    when = moment(datetime.date(2026, 3, 8), datetime.time(2, 30), NEW_YORK)
    assert when == utc(2026, 3, 8, 7, 0)
    assert when.astimezone(NEW_YORK).strftime("%H:%M %Z") == "03:00 EDT"


def test_a_time_that_happens_twice_fires_once_at_its_first_occurrence():
    at = datetime.time(1, 30)  # 2026-11-01 01:30 happens in EDT, then again in EST
    first, day = next_due(utc(2026, 11, 1, 4, 0), at, ALL_WEEKDAYS, NEW_YORK)
    assert (first, day) == (utc(2026, 11, 1, 5, 30), datetime.date(2026, 11, 1))
    # Once sent for that day, the second 01:30 (06:30 UTC) is not another reminder.
    after, next_day = next_due(first, at, ALL_WEEKDAYS, NEW_YORK, after_day=day)
    assert (after, next_day) == (utc(2026, 11, 2, 6, 30), datetime.date(2026, 11, 2))


def test_a_new_york_evening_reminder_keeps_its_local_time_across_both_changes():
    at = datetime.time(20, 0)
    before_spring, _ = next_due(utc(2026, 3, 7, 12), at, ALL_WEEKDAYS, NEW_YORK)
    after_spring, _ = next_due(utc(2026, 3, 8, 12), at, ALL_WEEKDAYS, NEW_YORK)
    assert (before_spring, after_spring) == (utc(2026, 3, 8, 1), utc(2026, 3, 9, 0))
    after_autumn, _ = next_due(utc(2026, 11, 1, 12), at, ALL_WEEKDAYS, NEW_YORK)
    assert after_autumn == utc(2026, 11, 2, 1)


def test_london_reminders_follow_british_summer_time():
    at = datetime.time(20, 0)
    assert next_due(utc(2026, 10, 24, 12), at, ALL_WEEKDAYS, LONDON)[0] == utc(2026, 10, 24, 19)
    assert next_due(utc(2026, 10, 25, 12), at, ALL_WEEKDAYS, LONDON)[0] == utc(2026, 10, 25, 20)
    # 01:30 on 2026-03-29 falls in London's gap (01:00 GMT becomes 02:00 BST).
    gap = moment(datetime.date(2026, 3, 29), datetime.time(1, 30), LONDON)
    assert gap == utc(2026, 3, 29, 1, 0)


def test_weekdays_are_the_persons_own_at_utc_plus_14():
    # 08:00 on Monday in Kiritimati is 18:00 on Sunday in UTC.
    monday = {0}
    when, day = next_due(utc(2026, 12, 6, 12), datetime.time(8, 0), monday, KIRITIMATI)
    assert when == utc(2026, 12, 6, 18)
    assert day == datetime.date(2026, 12, 7)
    assert day.weekday() == 0


def test_only_the_chosen_weekdays_are_reminded():
    weekend = {5, 6}
    # Thursday 3 December 2026: the next reminder is on Saturday the 5th, then Sunday the 6th.
    first, day = next_due(utc(2026, 12, 3, 12), datetime.time(9, 0), weekend, LONDON)
    assert day == datetime.date(2026, 12, 5)
    _, second = next_due(first, datetime.time(9, 0), weekend, LONDON, after_day=day)
    assert second == datetime.date(2026, 12, 6)
    assert next_due(utc(2026, 12, 3, 12), datetime.time(9, 0), set(), LONDON) is None


def test_a_reminder_more_than_two_hours_late_is_late():
    due = utc(2026, 12, 3, 20)
    assert not is_late(due, due + datetime.timedelta(hours=2))
    assert is_late(due, due + datetime.timedelta(hours=2, seconds=1))


@pytest.mark.django_db
@time_machine.travel(utc(2026, 12, 3, 12), tick=False)
def test_changing_zone_plans_the_same_local_time_in_the_new_zone(owner):
    reminder = Reminder(user=owner, enabled=True, time=datetime.time(20, 0))
    reminder.plan("Europe/London")
    assert reminder.next_due == utc(2026, 12, 3, 20)
    reminder.plan("Asia/Tokyo")  # 20:00 JST today has passed (11:00 UTC): tomorrow's
    assert reminder.next_due == utc(2026, 12, 4, 11)
    reminder.plan("America/New_York")
    assert reminder.next_due == utc(2026, 12, 4, 1)
    assert reminder.due_day == datetime.date(2026, 12, 3)


@pytest.mark.django_db
@time_machine.travel(utc(2026, 12, 3, 21), tick=False)
def test_a_day_already_reminded_is_not_reminded_again_after_moving_west(owner):
    reminder = Reminder(
        user=owner, enabled=True, time=datetime.time(20, 0), last_day=datetime.date(2026, 12, 3)
    )
    # Reminded at 20:00 in London on the 3rd; in New York it is only 16:00 on the 3rd now.
    reminder.plan("America/New_York")
    assert reminder.due_day == datetime.date(2026, 12, 4)


@pytest.mark.django_db
def test_a_reminder_that_is_off_has_no_next_due(owner):
    reminder = Reminder(user=owner, enabled=False, weekdays=mask_of([0, 1]))
    reminder.plan("UTC")
    assert (reminder.next_due, reminder.due_day) == (None, None)
