import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from kindjournal.journal.management.commands.seed_demo import DEMO_PASSWORD, DEMO_USERNAME
from kindjournal.journal.models import FIRST_DATE, DayEntry, KindnessAct


@pytest.fixture
def debug_on(settings):
    settings.DEBUG = True


def test_seed_demo_makes_a_year_of_data_ending_today(db, debug_on):
    call_command("seed_demo", stdout=None)
    user = get_user_model().objects.get(username=DEMO_USERNAME)
    entries = DayEntry.objects.for_user(user)
    today = user.profile.today()
    dates = sorted(entries.values_list("date", flat=True))
    assert 300 < len(dates) <= 365
    assert dates[-1] <= today and dates[0] >= today - datetime.timedelta(days=364)
    assert KindnessAct.objects.for_user(user).count() > 100
    assert set(entries.values_list("mood", flat=True)) <= set(range(1, 11))


def test_seed_demo_again_resets_instead_of_duplicating(db, debug_on):
    call_command("seed_demo", days=30)
    first = DayEntry.objects.count(), KindnessAct.objects.count()
    call_command("seed_demo", days=30)
    assert (DayEntry.objects.count(), KindnessAct.objects.count()) == first
    assert get_user_model().objects.filter(username=DEMO_USERNAME).count() == 1


def test_the_demo_login_in_the_readme_works(client, db, debug_on):
    call_command("seed_demo", days=7)
    response = client.post(reverse("login"), {"username": DEMO_USERNAME, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert "KindJournal" in client.get(reverse("journal:history")).content.decode()


def test_seed_demo_refuses_days_before_2000(db, debug_on):
    with pytest.raises(CommandError, match="--days must be from 1 to"):
        call_command("seed_demo", days=20000)
    assert not DayEntry.objects.filter(date__lt=FIRST_DATE).exists()


def test_seed_demo_needs_force_when_debug_is_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo", days=3)
    assert not get_user_model().objects.exists()
    call_command("seed_demo", days=3, force=True)
    assert DayEntry.objects.count() <= 3
