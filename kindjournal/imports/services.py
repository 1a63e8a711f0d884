"""The Django side of importing: journal limits in, one transaction of bulk inserts out.

Used by the /import/ views and the import_journal command. Reading and checking the file is in
the pure modules (formats, daylio, kindjournal_csv, planning); this module only looks up what
the journal already holds and writes the Plan. The number of queries does not depend on the
number of rows (bulk inserts, batched only by the database's limit on query parameters).
"""

from collections import Counter
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from kindjournal.accounts.models import Profile
from kindjournal.imports import formats
from kindjournal.imports.common import Limits
from kindjournal.imports.models import PendingImport
from kindjournal.imports.planning import make_plan
from kindjournal.journal.models import (
    MOOD_MAX,
    MOOD_MIN,
    NOTE_MAX_LENGTH,
    ActCategory,
    DayEntry,
    KindnessAct,
)

# How many problems the page and the command list before "…and N more".
PROBLEMS_SHOWN = 20


class ImportRefused(Exception):
    """The file has problems; nothing was written. `problems` are line-numbered."""

    def __init__(self, problems):
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


class AlreadyImported(Exception):
    """The pending upload was confirmed before (a double submit or a second tab)."""


class ImportConflict(Exception):
    """The journal changed under the import (a day saved at the same moment); nothing written."""


@dataclass
class Preview:
    plan: object  # the Plan without overwrite
    plan_overwriting: object  # the Plan with "overwrite days that already exist" ticked
    first_date: object
    last_date: object


def first_problems(problems):
    """(the problems worth listing, how many more there are)."""
    return problems[:PROBLEMS_SHOWN], max(0, len(problems) - PROBLEMS_SHOWN)


def limits_for(user):
    # Read only (no Profile.for_user, which creates one): a dry run writes nothing at all.
    profile = Profile.objects.filter(user=user).first() or Profile(user=user)
    return Limits(
        today=profile.today(),
        mood_min=MOOD_MIN,
        mood_max=MOOD_MAX,
        note_max=NOTE_MAX_LENGTH,
        description_max=KindnessAct._meta.get_field("description").max_length,
    )


def category_labels():
    """{label: stored value}: the KindJournal CSV writes labels, the database keeps values."""
    return {str(label): value for value, label in ActCategory.choices}


def parse(user, source, mood_map=None, kind_activities=None, progress=None):
    return formats.parse(
        source, limits_for(user), category_labels(), mood_map, kind_activities, progress
    )


def purge_expired():
    """Delete everyone's uploads past their lifetime (one DELETE); how many went."""
    deleted, _ = PendingImport.objects.expired().delete()
    return deleted


def start_pending(user, filename, source):
    """Keep an upload on the server for its preview."""
    return PendingImport.objects.create(
        user=user, filename=filename[:255], format=source.format, content=source.text
    )


def parse_pending(user, pending):
    source = formats.recognise(pending.content, pending.format)
    return parse(user, source, pending.mood_map, pending.kind_activities)


def preview(user, days):
    """What importing `days` would do, with and without overwrite (two queries)."""
    entry_pks, acts = _journal_around(user, days)
    return Preview(
        plan=make_plan(days, entry_pks.keys(), acts, overwrite=False),
        plan_overwriting=make_plan(days, entry_pks.keys(), acts, overwrite=True),
        first_date=days[0].date if days else None,
        last_date=days[-1].date if days else None,
    )


def confirm_pending(user, token, overwrite):
    """Import the user's pending upload `token` with its stored mapping; the Plan written.

    PendingImport.DoesNotExist if the upload is gone (cancelled or purged meanwhile).
    """
    with transaction.atomic():
        # Locked so a second confirm of the same upload waits, then sees `imported_at`.
        pending = PendingImport.objects.for_user(user).select_for_update().get(token=token)
        if pending.imported_at:
            raise AlreadyImported
        parsed = parse_pending(user, pending)
        if parsed.problems:
            raise ImportRefused(parsed.problems)
        plan = import_days(user, parsed.days, overwrite)
        pending.mark_imported()
    return plan


def import_days(user, days, overwrite):
    """Write `days` into the user's journal, all or nothing; the Plan that was written."""
    try:
        with transaction.atomic():
            # Two imports for one person (two tabs, the page and the command) run one after
            # the other, so the second sees the first one's days and acts and adds no copies.
            # The user's row is the lock: unlike the Profile it always exists. (SQLite already
            # serialises writers; this is for PostgreSQL.)
            list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk"))
            entry_pks, acts = _journal_around(user, days)
            plan = make_plan(days, entry_pks.keys(), acts, overwrite)
            _write(user, plan, entry_pks)
    except IntegrityError:
        raise ImportConflict from None
    return plan


def _journal_around(user, days):
    """({date: DayEntry pk}, Counter of (date, category, description)) over the days' range."""
    if not days:
        return {}, Counter()
    span = (min(day.date for day in days), max(day.date for day in days))
    entry_pks = dict(
        DayEntry.objects.for_user(user).filter(date__range=span).values_list("date", "pk")
    )
    acts = Counter(
        KindnessAct.objects.for_user(user)
        .filter(date__range=span)
        .order_by()
        .values_list("date", "category", "description")
    )
    return entry_pks, acts


def _write(user, plan, entry_pks):
    DayEntry.objects.bulk_create(
        DayEntry(
            user=user, date=day.date, mood=day.mood, note=day.note, recorded_on=day.recorded_on
        )
        for day in plan.entries_to_create
    )
    now = timezone.now()
    DayEntry.objects.bulk_update(
        [
            DayEntry(
                pk=entry_pks[day.date],
                user=user,
                date=day.date,
                mood=day.mood,
                note=day.note,
                recorded_on=day.recorded_on,
                updated_at=now,
            )
            for day in plan.entries_to_update
        ],
        ["mood", "note", "recorded_on", "updated_at"],
    )
    KindnessAct.objects.bulk_create(
        KindnessAct(user=user, date=date, category=category, description=description)
        for date, category, description in plan.acts_to_create
    )
