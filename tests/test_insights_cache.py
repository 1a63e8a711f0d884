"""The Insights page's cache (settings.CACHES["insights"]): never older than the person's data,
never anyone else's. Each test starts with an empty cache (tests/conftest.py).

Every write to a person's days or acts bumps their `Profile.journal_revision` in its own
transaction (Profile.objects.bump_journal_revision); the page is cached under that revision.
"""

import datetime
import threading

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kindjournal.accounts.models import Profile
from kindjournal.imports import services
from kindjournal.imports.common import ImportedDay
from kindjournal.imports.services import import_days
from kindjournal.insights import views
from kindjournal.journal.models import DayEntry, KindnessAct
from tests.conftest import make_user
from tests.test_insights import URL, page_data, seed
from tests.threads import in_background

DAY = datetime.timedelta(days=1)


def moods_shown(client, **params):
    return [item["mood"] for item in page_data(client.get(URL, params))["series"]]


def acts_shown(client, **params):
    return [item["acts"] for item in page_data(client.get(URL, params))["series"]]


def revision(user):
    return Profile.objects.get(user=user).journal_revision


@pytest.fixture
def cached(owner_client, owner, today, django_assert_num_queries):
    """The owner's page for the default range, seen once so it is in the cache."""
    seed(owner, today, 40)
    owner_client.get(URL)
    with django_assert_num_queries(3):  # session, user, profile: a cache hit
        owner_client.get(URL)
    return owner_client


@pytest.fixture
def admin_client(db):
    """A second browser, an administrator's, beside the owner's `client`."""
    admin = get_user_model().objects.create_superuser("admin", password="admin-pass-41")
    admin_client = Client()
    admin_client.force_login(admin)
    return admin_client


# --- Every write path shows at once ------------------------------------------------------


def test_saving_a_new_mood_shows_at_once(cached, owner, today):
    DayEntry.objects.filter(user=owner, date=today).delete()
    Profile.objects.bump_journal_revision(owner)
    assert moods_shown(cached)[-1] is None
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
    act = KindnessAct.objects.add(owner, yesterday, "Call", "checkin")
    before = acts_shown(cached)[-2]
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
    assert page_data(owner_client.get(URL))["by_category"] == []


def test_an_admin_deletion_of_a_day_shows_at_once(cached, owner, admin_client, yesterday):
    entry = DayEntry.objects.get(user=owner, date=yesterday)
    response = admin_client.post(
        reverse("admin:journal_dayentry_delete", args=[entry.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert moods_shown(cached)[-2] is None


def test_an_admin_bulk_deletion_shows_at_once(cached, owner, admin_client, yesterday):
    entry = DayEntry.objects.get(user=owner, date=yesterday)
    response = admin_client.post(
        reverse("admin:journal_dayentry_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert moods_shown(cached)[-2] is None


def test_an_admin_move_of_a_day_to_another_person_changes_both_pages(
    cached, owner, stranger, admin_client, yesterday
):
    stranger_client = Client()
    stranger_client.force_login(stranger)
    assert moods_shown(stranger_client)[-2] is None
    entry = DayEntry.objects.get(user=owner, date=yesterday)
    response = admin_client.post(
        reverse("admin:journal_dayentry_change", args=[entry.pk]),
        {
            "user": stranger.pk,
            "date": yesterday.isoformat(),
            "mood": entry.mood,
            "note": "",
            "recorded_on": yesterday.isoformat(),
        },
    )
    assert response.status_code == 302
    assert moods_shown(cached)[-2] is None
    assert moods_shown(stranger_client)[-2] == entry.mood


def test_a_change_in_the_week_before_the_range_shows_at_once(owner_client, owner, today):
    # The first day's 7-day average reads the six days before the range.
    start = today - 29 * DAY
    DayEntry.objects.save_day(owner, start, 5, "", start)
    DayEntry.objects.save_day(owner, start - 6 * DAY, 5, "", today)
    assert page_data(owner_client.get(URL, {"range": "30"}))["series"][0]["mood_avg7"] == 5
    DayEntry.objects.save_day(owner, start - 6 * DAY, 9, "", today)
    assert page_data(owner_client.get(URL, {"range": "30"}))["series"][0]["mood_avg7"] == 7


def test_an_import_overwriting_a_mood_shows_at_once(cached, owner, yesterday):
    entry = DayEntry.objects.get(user=owner, date=yesterday)
    new_mood = 1 if entry.mood != 1 else 2
    plan = import_days(owner, [ImportedDay(yesterday, new_mood, "", yesterday)], overwrite=True)
    assert len(plan.entries_to_update) == 1
    assert moods_shown(cached)[-2] == new_mood


def test_an_import_adding_acts_shows_at_once(cached, owner, today):
    before = acts_shown(cached)[-1]
    import_days(owner, [ImportedDay(today, None, "", None, acts=[("gift", "Flowers")])], True)
    assert acts_shown(cached)[-1] == before + 1


def test_an_import_for_a_person_without_a_profile_gives_them_one(db, today):
    user = get_user_model().objects.create_user("imported")
    import_days(user, [ImportedDay(today, 4, "", today)], overwrite=False)
    assert revision(user) == 1


def test_seeding_the_demo_again_shows_the_new_data(db):
    call_command("seed_demo", days=60, seed=1, force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    demo = get_user_model().objects.get(username="demo")
    client = Client()
    client.force_login(demo)
    first = moods_shown(client)
    call_command("seed_demo", days=60, seed=2, force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    client.force_login(get_user_model().objects.get(username="demo"))  # new password: new login
    stored = dict(DayEntry.objects.for_user(demo).values_list("date", "mood"))
    data = page_data(client.get(URL))["series"]
    shown = [item["mood"] for item in data]
    assert shown == [stored.get(datetime.date.fromisoformat(item["date"])) for item in data]
    assert shown != first


def test_saving_settings_never_puts_an_older_revision_back(owner_client, owner, today):
    profile = Profile.objects.get(user=owner)  # as the settings view loads it
    DayEntry.objects.save_day(owner, today, 6, "", today)
    profile.display_name = "Sam"
    profile.save()
    assert revision(owner) == 1


# --- Clocks and commit order play no part ------------------------------------------------


def test_an_edit_with_a_frozen_clock_shows_at_once(owner_client, owner, today, monkeypatch):
    seed(owner, today, 40)
    frozen = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: frozen)
    DayEntry.objects.save_day(owner, today, 5, "", today)
    assert moods_shown(owner_client)[-3] != 1
    DayEntry.objects.save_day(owner, today - 2 * DAY, 1, "", today)
    assert moods_shown(owner_client)[-3] == 1


def test_an_edit_after_the_clock_stepped_back_shows_at_once(
    owner_client, owner, today, monkeypatch
):
    seed(owner, today, 40)
    assert moods_shown(owner_client)[-3] != 1
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() - datetime.timedelta(hours=1))
    DayEntry.objects.save_day(owner, today - 2 * DAY, 1, "", today)
    assert moods_shown(owner_client)[-3] == 1


@pytest.mark.django_db(transaction=True)
def test_an_import_that_commits_after_a_later_save_still_shows(monkeypatch):
    # The reviewer's case: an import writes first, a save in another tab comes second, and
    # the import commits last. With updated_at stamps the page read in between was served
    # again after both commits. The revision's row lock makes the save wait for the import
    # (PostgreSQL: on the profile row; SQLite: on the database's one writer), so revisions
    # follow commit order on both, and the page after both shows both.
    owner = make_user("dora")
    today = timezone.localdate()
    target, other_day = today - 10 * DAY, today - 3 * DAY
    for date in (target, other_day):
        DayEntry.objects.save_day(owner, date, 5, "", date)
    client = Client()
    client.force_login(owner)
    assert moods_shown(client)[-11] == 5

    written, go = threading.Event(), threading.Event()
    write = services._write

    def write_then_wait(*args):
        write(*args)
        written.set()
        assert go.wait(20)

    monkeypatch.setattr(services, "_write", write_then_wait)
    outcomes = []

    importing = in_background(
        lambda: import_days(owner, [ImportedDay(target, 9, "", target)], overwrite=True), outcomes
    )
    assert written.wait(20)
    saving = in_background(
        lambda: DayEntry.objects.save_day(owner, other_day, 6, "", today), outcomes
    )
    saving.join(timeout=1)
    assert saving.is_alive()  # waiting for the import to commit
    # Read while the import is open and the save waits: neither shows, and this page is
    # cached under the revision from before both.
    assert [moods_shown(client)[i] for i in (-11, -4)] == [5, 5]

    go.set()
    importing.join(timeout=30)
    saving.join(timeout=30)
    assert not any(isinstance(outcome, Exception) for outcome in outcomes), outcomes
    assert revision(owner) == 4  # two saves before, then the import, then the save
    assert [moods_shown(client)[i] for i in (-11, -4)] == [9, 6]


# --- Whose page, which page ---------------------------------------------------------------


def test_another_person_at_the_same_revision_gets_their_own_page(client, owner, stranger, today):
    owner_moods, _ = seed(owner, today, 30, seed=1)
    seed(stranger, today, 30, seed=1)
    DayEntry.objects.filter(user=stranger).update(mood=1)
    assert revision(owner) == revision(stranger)

    client.force_login(owner)
    assert moods_shown(client, range="30") == [
        owner_moods.get(today - i * DAY) for i in range(29, -1, -1)
    ]
    client.force_login(stranger)
    assert moods_shown(client, range="30") == [
        1 if today - i * DAY in owner_moods else None for i in range(29, -1, -1)
    ]


def test_each_range_is_its_own_page(cached):
    assert len(page_data(cached.get(URL, {"range": "30"}))["series"]) == 30
    assert len(page_data(cached.get(URL, {"range": "90"}))["series"]) == 90


def test_a_new_page_replaces_the_old_one_in_the_cache(cached, owner, today):
    entries = len(caches["insights"]._cache)
    for mood in (2, 3, 4):
        DayEntry.objects.save_day(owner, today, mood, "", today)
        assert moods_shown(cached)[-1] == mood
    assert len(caches["insights"]._cache) == entries


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


def test_all_time_moves_on_at_midnight(owner_client, owner, monkeypatch):
    before_midnight = timezone.now().replace(hour=23, minute=59, second=30)
    monkeypatch.setattr(timezone, "now", lambda: before_midnight)
    today = before_midnight.date()
    DayEntry.objects.save_day(owner, today - 5 * DAY, 7, "", today)
    first = page_data(owner_client.get(URL, {"range": "all"}))
    assert (first["range"]["end"], len(first["series"])) == (today.isoformat(), 6)

    monkeypatch.setattr(timezone, "now", lambda: before_midnight + datetime.timedelta(minutes=1))
    second = page_data(owner_client.get(URL, {"range": "all"}))
    assert (second["range"]["end"], len(second["series"])) == ((today + DAY).isoformat(), 7)
    assert second["range"]["start"] == first["range"]["start"]


def test_a_slot_missing_or_twice_in_the_page_is_an_error():
    assert views._splice(b"a<!--s-->b", b"<!--s-->", b"X") == b"aXb"
    for page in (b"ab", b"<!--s--><!--s-->"):
        with pytest.raises(ValueError, match="not once"):
            views._splice(page, b"<!--s-->", b"X")
