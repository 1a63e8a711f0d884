"""The Insights page's cache (settings.CACHES["insights"]): never older than the person's data,
never anyone else's. Each test starts with an empty cache (tests/conftest.py)."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kindjournal.imports.common import ImportedDay
from kindjournal.imports.services import import_days
from kindjournal.insights import views
from kindjournal.insights.data import insights_for
from kindjournal.journal.models import DayEntry, KindnessAct, journal_version
from tests.test_insights import URL, page_data, seed

DAY = datetime.timedelta(days=1)


def moods_shown(client, **params):
    return [item["mood"] for item in page_data(client.get(URL, params))["series"]]


def acts_shown(client, **params):
    return [item["acts"] for item in page_data(client.get(URL, params))["series"]]


@pytest.fixture
def cached(owner_client, owner, today, django_assert_num_queries):
    """The owner's page for the default range, seen once so it is in the cache."""
    seed(owner, today, 40)
    owner_client.get(URL)
    with django_assert_num_queries(4):  # session, user, profile, journal version: a cache hit
        owner_client.get(URL)
    return owner_client


@pytest.fixture
def admin_client(db):
    """A second browser, an administrator's, beside the owner's `client`."""
    admin = get_user_model().objects.create_superuser("admin", password="admin-pass-41")
    admin_client = Client()
    admin_client.force_login(admin)
    return admin_client


def test_saving_a_new_mood_shows_at_once(cached, owner, today):
    DayEntry.objects.filter(user=owner, date=today).delete()
    cached.get(URL)
    cached.post(reverse("journal:day", args=[today]), {"mood": "3"})
    assert moods_shown(cached)[-1] == 3


def test_changing_a_mood_shows_at_once(cached, owner, yesterday):
    entry = DayEntry.objects.get(user=owner, date=yesterday)
    new_mood = 1 if entry.mood != 1 else 2
    cached.post(reverse("journal:day", args=[yesterday]), {"mood": str(new_mood)})
    assert moods_shown(cached)[-2] == new_mood


def test_adding_an_act_shows_at_once(cached, today):
    before = acts_shown(cached)[-1]
    cached.post(
        reverse("journal:add_act", args=[today]), {"description": "Tea", "category": "meal"}
    )
    assert acts_shown(cached)[-1] == before + 1


def test_deleting_an_act_shows_at_once(cached, owner, yesterday):
    KindnessAct.objects.create(user=owner, date=yesterday, description="Call", category="checkin")
    before = acts_shown(cached)[-2]
    act = KindnessAct.objects.filter(user=owner, date=yesterday).first()
    cached.post(reverse("journal:delete_act", args=[act.pk]))
    assert acts_shown(cached)[-2] == before - 1


def test_an_admin_edit_of_a_mood_shows_at_once(cached, owner, admin_client, yesterday):
    entry = DayEntry.objects.get(user=owner, date=yesterday)
    new_mood = 10 if entry.mood != 10 else 9
    response = admin_client.post(
        reverse("admin:journal_dayentry_change", args=[entry.pk]),
        {
            "user": owner.pk,
            "date": yesterday.isoformat(),
            "mood": new_mood,
            "note": entry.note,
            "recorded_on": entry.recorded_on.isoformat(),
        },
    )
    assert response.status_code == 302
    assert moods_shown(cached)[-2] == new_mood


def test_an_admin_edit_of_an_acts_kind_shows_at_once(owner_client, owner, admin_client, today):
    # Three rated days with a meal each: a "Meal or food" row. Moving one act to "gift" keeps
    # every count and date, and leaves meals on too few days for a row.
    for offset in range(3):
        date = today - offset * DAY
        DayEntry.objects.create(user=owner, date=date, mood=6 + offset, recorded_on=date)
        KindnessAct.objects.create(user=owner, date=date, description="Soup", category="meal")
    assert [row["category"] for row in page_data(owner_client.get(URL))["by_category"]] == ["meal"]

    act = KindnessAct.objects.filter(user=owner).first()
    response = admin_client.post(
        reverse("admin:journal_kindnessact_change", args=[act.pk]),
        {"user": owner.pk, "date": act.date.isoformat(), "description": "Soup", "category": "gift"},
    )
    assert response.status_code == 302
    act.refresh_from_db()
    assert act.category == "gift" and act.updated_at > act.created_at
    assert page_data(owner_client.get(URL))["by_category"] == []


def test_a_change_in_the_week_before_the_range_shows_at_once(owner_client, owner, today):
    # The first day's 7-day average reads the six days before the range.
    start = today - 29 * DAY
    DayEntry.objects.create(user=owner, date=start, mood=5, recorded_on=start)
    before = DayEntry.objects.create(user=owner, date=start - 6 * DAY, mood=5, recorded_on=today)
    assert page_data(owner_client.get(URL, {"range": "30"}))["series"][0]["mood_avg7"] == 5
    before.mood = 9
    before.save()
    assert page_data(owner_client.get(URL, {"range": "30"}))["series"][0]["mood_avg7"] == 7


def test_an_import_overwriting_a_mood_shows_at_once(cached, owner, yesterday):
    # Page and command imports both write through import_days; an overwritten day is a
    # bulk_update, which must set updated_at itself.
    entry = DayEntry.objects.get(user=owner, date=yesterday)
    new_mood = 1 if entry.mood != 1 else 2
    plan = import_days(owner, [ImportedDay(yesterday, new_mood, "", yesterday)], overwrite=True)
    assert len(plan.entries_to_update) == 1
    assert moods_shown(cached)[-2] == new_mood


def test_an_import_adding_acts_shows_at_once(cached, owner, today):
    before = acts_shown(cached)[-1]
    import_days(owner, [ImportedDay(today, None, "", None, acts=[("gift", "Flowers")])], True)
    assert acts_shown(cached)[-1] == before + 1


def test_a_page_built_while_the_data_changed_is_not_kept(owner_client, owner, today, monkeypatch):
    # An act is added while the page is built, after its version was read; deleting the act
    # then brings that version back. The page that showed the act must not be served for it.
    def add_act_meanwhile(*args):
        act = KindnessAct.objects.create(user=owner, date=today, description="x", category="gift")
        added.append(act)
        return insights_for(*args)

    added = []
    monkeypatch.setattr(views, "insights_for", add_act_meanwhile)
    assert acts_shown(owner_client)[-1] == 1
    monkeypatch.undo()
    added[0].delete()
    assert acts_shown(owner_client)[-1] == 0


def test_another_person_with_the_same_journal_version_gets_their_own_page(
    client, owner, stranger, today
):
    # Same number of days and acts, changed at the same instant: only whose page it is differs.
    owner_moods, _ = seed(owner, today, 30, seed=1)
    stranger_moods, _ = seed(stranger, today, 30, seed=1)
    DayEntry.objects.filter(user=stranger).update(mood=1)
    instant = timezone.now()
    DayEntry.objects.update(updated_at=instant)
    KindnessAct.objects.update(updated_at=instant)
    assert journal_version(owner) == journal_version(stranger)

    client.force_login(owner)
    assert moods_shown(client, range="30") == [
        owner_moods.get(today - i * DAY) for i in range(29, -1, -1)
    ]
    client.force_login(stranger)
    assert moods_shown(client, range="30") == [
        1 if today - i * DAY in stranger_moods else None for i in range(29, -1, -1)
    ]


def test_each_range_is_its_own_page(cached):
    assert len(page_data(cached.get(URL, {"range": "30"}))["series"]) == 30
    assert len(page_data(cached.get(URL, {"range": "90"}))["series"]) == 90


def test_a_new_day_in_the_persons_time_zone_moves_the_page_on(owner_client, owner, monkeypatch):
    now = timezone.now().replace(hour=12)
    monkeypatch.setattr(timezone, "now", lambda: now)
    today = now.date()
    DayEntry.objects.create(user=owner, date=today, mood=8, recorded_on=today)
    assert page_data(owner_client.get(URL))["range"]["end"] == today.isoformat()

    monkeypatch.setattr(timezone, "now", lambda: now + DAY)
    data = page_data(owner_client.get(URL))
    assert data["range"]["end"] == (today + DAY).isoformat()
    assert [item["mood"] for item in data["series"][-2:]] == [8, None]


@pytest.mark.parametrize(
    "change",
    [
        lambda user, day: DayEntry.objects.create(user=user, date=day, mood=5, recorded_on=day),
        lambda user, day: DayEntry.objects.filter(user=user).delete(),
        lambda user, day: DayEntry.objects.filter(user=user).first().save(),
        lambda user, day: KindnessAct.objects.create(
            user=user, date=day, description="x", category="other"
        ),
        lambda user, day: KindnessAct.objects.filter(user=user).delete(),
        lambda user, day: KindnessAct.objects.filter(user=user).first().save(),
    ],
    ids=["day added", "day deleted", "day saved", "act added", "act deleted", "act saved"],
)
def test_every_kind_of_change_gives_a_new_journal_version(owner, stranger, today, change):
    for user in (owner, stranger):
        DayEntry.objects.create(user=user, date=today, mood=7, recorded_on=today)
        KindnessAct.objects.create(user=user, date=today, description="Tea", category="meal")
    before, strangers = journal_version(owner), journal_version(stranger)
    change(owner, today - DAY)
    assert journal_version(owner) != before
    assert journal_version(stranger) == strangers


def test_an_empty_journal_has_a_version_too(owner):
    assert journal_version(owner) == (("acts", 0, None), ("days", 0, None))


def test_changes_outside_the_dates_asked_about_leave_the_version_alone(owner, today):
    DayEntry.objects.create(user=owner, date=today, mood=7, recorded_on=today)
    version = journal_version(owner, today - 6 * DAY, today)
    old = today - 30 * DAY
    DayEntry.objects.create(user=owner, date=old, mood=3, recorded_on=today)
    KindnessAct.objects.create(user=owner, date=old, description="Tea", category="meal")
    assert journal_version(owner, today - 6 * DAY, today) == version
    assert journal_version(owner, old, today) != version
