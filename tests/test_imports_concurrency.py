"""Two confirms at the same moment, in two threads with their own database connections.

The page tests run one request after another; these let two imports overlap for real. They
pass whatever the order the threads run in: each asserts only what must hold in every order.
"""

import datetime

import pytest

from kindjournal.imports import formats, services
from kindjournal.imports.models import PendingImport
from kindjournal.imports.planning import Plan
from kindjournal.journal.models import DayEntry, KindnessAct
from tests.conftest import make_user
from tests.imports_helpers import daylio_file, daylio_row
from tests.threads import at_once

KINDS = {"volunteering": "volunteering", "called mom": "checkin"}


# Big enough that each import takes a while to read and write, so that two released together
# overlap: without the locks both would see an empty journal.
DAYS = 400
FIRST_DAY = datetime.date(2024, 1, 1)


def big_upload(user):
    rows = (
        daylio_row(FIRST_DAY + datetime.timedelta(days=n), activities="volunteering")
        for n in range(DAYS)
    )
    pending, _ = services.start_pending(user, "daylio_long.csv", formats.sniff(daylio_file(*rows)))
    pending.kind_activities = KINDS
    pending.save()
    return pending


def journal(user):
    return (
        sorted(DayEntry.objects.for_user(user).values_list("date", "mood")),
        sorted(KindnessAct.objects.for_user(user).values_list("date", "category", "description")),
    )


@pytest.mark.django_db(transaction=True)
def test_two_uploads_of_one_file_confirmed_at_once_import_it_once():
    user = make_user("alice")
    first, second = big_upload(user), big_upload(user)
    outcomes = at_once(
        lambda: services.confirm_pending(user, first.token, overwrite=False),
        lambda: services.confirm_pending(user, second.token, overwrite=False),
    )
    # Both succeed: the later one waits, then finds every day already there.
    assert all(isinstance(outcome, Plan) for outcome in outcomes), outcomes
    assert sorted(len(plan.new_days) for plan in outcomes) == [0, DAYS]
    days, acts = journal(user)
    assert len(days) == DAYS and len(acts) == DAYS
    assert PendingImport.objects.filter(imported_at__isnull=True).count() == 0


@pytest.mark.django_db(transaction=True)
def test_one_upload_confirmed_twice_at_once_imports_once():
    user = make_user("alice")
    pending = big_upload(user)
    outcomes = at_once(
        lambda: services.confirm_pending(user, pending.token, overwrite=False),
        lambda: services.confirm_pending(user, pending.token, overwrite=False),
    )
    assert sorted(type(outcome).__name__ for outcome in outcomes) == ["AlreadyImported", "Plan"], (
        outcomes
    )
    days, acts = journal(user)
    assert len(days) == DAYS and len(acts) == DAYS


@pytest.mark.django_db(transaction=True)
def test_a_day_saved_while_an_import_runs_is_kept_and_the_import_is_all_or_nothing():
    user = make_user("alice")
    pending = big_upload(user)
    saved_day = FIRST_DAY + datetime.timedelta(days=DAYS - 1)
    outcomes = at_once(
        lambda: services.confirm_pending(user, pending.token, overwrite=False),
        lambda: DayEntry.objects.save_day(
            user, saved_day, mood=2, note="my own", recorded_on=saved_day
        ),
    )
    imported = outcomes[0]
    assert isinstance(imported, Plan | services.ImportConflict), outcomes
    days = dict(DayEntry.objects.for_user(user).values_list("date", "note"))
    # In every order the person's own save survives; the file's other days are all there, or
    # (when the save landed between the import's look at the journal and its writes) none are.
    assert days[saved_day] == "my own"
    other_days = len(days) - 1
    assert other_days == (DAYS - 1 if isinstance(imported, Plan) else 0)
    acts = KindnessAct.objects.for_user(user).exclude(date=saved_day).count()
    assert acts == other_days
