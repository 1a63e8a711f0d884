import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from kindjournal.journal.models import DayEntry, KindnessAct
from tests.conftest import make_user
from tests.threads import at_once

DAY = datetime.date(2026, 3, 14)


def entry(user, **fields):
    return DayEntry(user=user, **{"date": DAY, "mood": 6, "recorded_on": DAY, **fields})


@pytest.mark.parametrize("mood", [0, 11])
def test_mood_outside_1_to_10_fails_validation_and_the_database(owner, mood):
    with pytest.raises(ValidationError, match="mood"):
        entry(owner, mood=mood).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        entry(owner, mood=mood).save()
    assert not DayEntry.objects.exists()


def test_one_entry_per_person_and_day_in_validation_and_the_database(owner):
    entry(owner).save()
    with pytest.raises(ValidationError):
        entry(owner).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        entry(owner).save()


def test_two_people_can_each_log_the_same_day(owner, stranger):
    entry(owner).save()
    entry(stranger).save()
    assert DayEntry.objects.count() == 2


def test_dates_before_2000_fail_validation_and_the_database(owner):
    early = datetime.date(1999, 12, 31)
    with pytest.raises(ValidationError, match="date"):
        entry(owner, date=early).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        entry(owner, date=early).save()


def test_note_over_5000_characters_fails_validation(owner):
    with pytest.raises(ValidationError, match="note"):
        entry(owner, note="x" * 5001).full_clean()
    entry(owner, note="x" * 5000).full_clean()


def test_act_category_and_description_are_checked_in_validation_and_the_database(owner):
    with pytest.raises(ValidationError, match="category"):
        KindnessAct(user=owner, date=DAY, description="Hi", category="bribe").full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        KindnessAct.objects.create(user=owner, date=DAY, description="Hi", category="bribe")
    with pytest.raises(ValidationError, match="description"):
        KindnessAct(user=owner, date=DAY, description="   ", category="gift").full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        KindnessAct.objects.create(user=owner, date=DAY, description="", category="gift")


def test_act_description_is_stripped_by_validation(owner):
    act = KindnessAct(user=owner, date=DAY, description="  Called Mum  ", category="checkin")
    act.full_clean()
    assert act.description == "Called Mum"


def test_for_user_returns_only_that_persons_rows(owner, stranger):
    entry(owner).save()
    entry(stranger, mood=2).save()
    KindnessAct.objects.create(user=stranger, date=DAY, description="x", category="other")
    assert [e.mood for e in DayEntry.objects.for_user(owner)] == [6]
    assert not KindnessAct.objects.for_user(owner).exists()


def test_save_day_updates_an_existing_day_and_keeps_its_first_recorded_date(owner):
    DayEntry.objects.save_day(owner, DAY, mood=4, note="first", recorded_on=DAY)
    later = DAY + datetime.timedelta(days=3)
    DayEntry.objects.save_day(owner, DAY, mood=8, note="second", recorded_on=later)
    stored = DayEntry.objects.get()
    assert (stored.mood, stored.note, stored.recorded_on) == (8, "second", DAY)


@pytest.mark.django_db(transaction=True)
def test_two_tabs_saving_the_same_new_day_at_once_keep_one_row_and_neither_fails():
    owner = make_user("alice")
    outcomes = at_once(
        lambda: DayEntry.objects.save_day(owner, DAY, mood=3, note="tab one", recorded_on=DAY),
        lambda: DayEntry.objects.save_day(owner, DAY, mood=9, note="tab two", recorded_on=DAY),
    )
    assert all(isinstance(outcome, DayEntry) for outcome in outcomes), outcomes
    (stored,) = DayEntry.objects.for_user(owner)
    # The later save wins, whichever it was; never a mix of the two.
    assert (stored.mood, stored.note) in {(3, "tab one"), (9, "tab two")}


def test_adding_an_act_twice_with_one_submission_key_stores_it_once(owner):
    key = uuid.uuid4()
    first = KindnessAct.objects.add(owner, DAY, "Cooked for Jo", "meal", submission_key=key)
    second = KindnessAct.objects.add(owner, DAY, "Cooked for Jo", "meal", submission_key=key)
    assert first.pk == second.pk
    assert KindnessAct.objects.count() == 1


def test_remove_only_deletes_an_act_inside_its_queryset(owner, stranger):
    act = KindnessAct.objects.create(user=owner, date=DAY, description="Flowers", category="gift")
    assert KindnessAct.objects.for_user(stranger).remove(act.pk) is False
    assert KindnessAct.objects.filter(pk=act.pk).exists()
    assert KindnessAct.objects.for_user(owner).remove(act.pk) is True
    assert not KindnessAct.objects.exists()


def test_deleting_a_user_deletes_their_entries_and_acts(owner, stranger):
    entry(owner).save()
    KindnessAct.objects.create(user=owner, date=DAY, description="x", category="other")
    entry(stranger).save()
    owner.delete()
    assert list(DayEntry.objects.values_list("user__username", flat=True)) == ["mallory"]
    assert not KindnessAct.objects.exists()


def test_today_is_the_persons_local_date(db, monkeypatch):
    noon_utc = datetime.datetime(2026, 6, 1, 12, 0, tzinfo=datetime.UTC)
    monkeypatch.setattr("django.utils.timezone.now", lambda: noon_utc)
    east = make_user("kiri", time_zone="Pacific/Kiritimati")  # UTC+14
    west = make_user("pago", time_zone="Pacific/Pago_Pago")  # UTC-11
    assert east.profile.today() == datetime.date(2026, 6, 2)
    assert west.profile.today() == datetime.date(2026, 6, 1)
