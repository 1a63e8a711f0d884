"""Two confirms at the same moment, in two threads with their own database connections.

The page tests run one request after another; these let two imports overlap for real. They
pass whatever the order the threads run in: each asserts only what must hold in every order.
"""

import time

import pytest

from kindjournal.imports import formats, services
from kindjournal.imports.models import PendingImport
from kindjournal.imports.planning import Plan
from kindjournal.journal.models import DayEntry, KindnessAct
from tests.conftest import make_user
from tests.imports_helpers import sample
from tests.threads import at_once

KINDS = {"volunteering": "volunteering", "called mom": "checkin"}


def pending_upload(user):
    source = formats.sniff(sample("daylio_common.csv"))
    pending, _ = services.start_pending(user, "daylio_common.csv", source)
    pending.kind_activities = KINDS
    pending.save()
    return pending


@pytest.fixture
def slow_journal_read(monkeypatch):
    """Hold each import a moment after it has looked at the journal, so that the other one
    arrives while it is in the middle: without the locks both would see an empty journal."""
    look = services._journal_around

    def slowly(user, days):
        found = look(user, days)
        time.sleep(0.3)
        return found

    monkeypatch.setattr(services, "_journal_around", slowly)


def journal(user):
    return (
        sorted(DayEntry.objects.for_user(user).values_list("date", "mood")),
        sorted(KindnessAct.objects.for_user(user).values_list("date", "category", "description")),
    )


@pytest.mark.django_db(transaction=True)
def test_two_uploads_of_one_file_confirmed_at_once_import_it_once(slow_journal_read):
    user = make_user("alice")
    first, second = pending_upload(user), pending_upload(user)
    outcomes = at_once(
        lambda: services.confirm_pending(user, first.token, overwrite=False),
        lambda: services.confirm_pending(user, second.token, overwrite=False),
    )
    # Both succeed: the later one waits, then finds every day already there.
    assert all(isinstance(outcome, Plan) for outcome in outcomes), outcomes
    assert sorted(len(plan.new_days) for plan in outcomes) == [0, 3]
    days, acts = journal(user)
    assert len(days) == 3 and len(acts) == 3
    assert PendingImport.objects.filter(imported_at__isnull=True).count() == 0


@pytest.mark.django_db(transaction=True)
def test_one_upload_confirmed_twice_at_once_imports_once(slow_journal_read):
    user = make_user("alice")
    pending = pending_upload(user)
    outcomes = at_once(
        lambda: services.confirm_pending(user, pending.token, overwrite=False),
        lambda: services.confirm_pending(user, pending.token, overwrite=False),
    )
    assert sorted(type(outcome).__name__ for outcome in outcomes) == ["AlreadyImported", "Plan"], (
        outcomes
    )
    days, acts = journal(user)
    assert len(days) == 3 and len(acts) == 3
