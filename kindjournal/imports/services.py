"""The Django side of importing: journal limits in, one short transaction of inserts out.

Used by the /import/ views and the import_journal command. Reading and checking the file is in
the pure modules (formats, daylio, kindjournal_csv, planning, sizes); this module looks up what
the journal already holds and writes the Plan. The number of queries grows only with the insert
batches (as many rows as the database takes parameters for, up to ROWS_PER_INSERT).
"""

import logging
import time
from collections import Counter
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from kindjournal.accounts.models import Profile, lock_account
from kindjournal.imports import formats, sizes
from kindjournal.imports.common import Limits
from kindjournal.imports.models import PendingImport
from kindjournal.imports.planning import make_plan
from kindjournal.journal.encryption import EncryptedTextField
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
logger = logging.getLogger(__name__)


class ImportRefused(Exception):
    """The file has problems; nothing was written. `problems` are line-numbered."""

    def __init__(self, problems):
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


class TooBig(Exception):
    """The upload is over one of the page's limits (sizes.py); the message says so, with counts."""


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
    profile = Profile.read_for(user)  # a dry run writes nothing at all
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


def parse(user, source, mood_map=None, kind_activities=None, progress=None, rows=None):
    return formats.parse(
        source, limits_for(user), category_labels(), mood_map, kind_activities, progress, rows
    )


def purge_expired():
    """Delete everyone's uploads past their lifetime (one DELETE); how many went."""
    deleted, _ = PendingImport.objects.expired().delete()
    return deleted


def start_pending(user, filename, source):
    """Keep an upload on the server for its preview: (it, the names of the person's oldest
    waiting uploads it replaced to stay within sizes.WAITING_UPLOADS)."""
    with transaction.atomic():
        pending = PendingImport.objects.create(
            user=user, filename=filename[:255], format=source.format, content=source.text
        )
        # Newest first, so two uploads at once still leave the newest few, whichever ends last.
        older = list(
            PendingImport.objects.for_user(user)
            .filter(imported_at__isnull=True)
            .order_by("-created_at", "-pk")
            .values_list("pk", "filename")[sizes.WAITING_UPLOADS :]
        )
        PendingImport.objects.filter(pk__in=[pk for pk, _ in older]).delete()
    return pending, [name for _, name in older]


def parse_pending(user, pending):
    """The upload parsed with its stored mapping; TooBig before any parsing if it is over the
    page's limits (an upload stored before they were lowered is checked again here)."""
    source = formats.recognise(pending.content, pending.format)
    rows = sizes.read_rows(source)
    if refusal := sizes.refusal(source, rows, category_labels()):
        raise TooBig(refusal)
    parsed = parse(user, source, pending.mood_map, pending.kind_activities, rows=rows)
    if problem := sizes.acts_problem(parsed.days):
        parsed.problems.insert(0, problem)
    return parsed


def preview(user, days):
    """What importing `days` would do, with and without overwrite (two queries)."""
    entry_pks, acts = _journal_around(user, days)
    plan = make_plan(days, entry_pks.keys(), acts, overwrite=False)
    return Preview(
        plan=plan,
        # With nothing logged over the file's dates there is nothing to overwrite: one Plan.
        plan_overwriting=(
            make_plan(days, entry_pks.keys(), acts, overwrite=True) if plan.existing_days else plan
        ),
        first_date=days[0].date if days else None,
        last_date=days[-1].date if days else None,
    )


def confirm_pending(user, token, overwrite):
    """Import the user's pending upload `token` with its stored mapping; the Plan written.

    The file is parsed and checked before the write transaction, which only claims the upload
    and writes. PendingImport.DoesNotExist if the upload is gone (cancelled or purged meanwhile).
    """
    pending = PendingImport.objects.for_user(user).get(token=token)
    if pending.imported_at:
        raise AlreadyImported
    return import_parsed(user, pending, parse_pending(user, pending), overwrite)


def import_parsed(user, pending, parsed, overwrite):
    """Import `pending` as `parsed` (parse_pending's result for that very instance, so the
    claim can tell a mapping changed since in another tab); the Plan written. For the preview
    page, which has parsed the upload already."""
    if parsed.problems:
        raise ImportRefused(parsed.problems)
    return import_days(user, parsed.days, overwrite, pending=pending)


def import_days(user, days, overwrite, pending=None):
    """Write `days` into the user's journal, all or nothing; the Plan that was written.

    With `pending` (the page's upload, as parsed), the same transaction marks it imported.

    On SQLite the write transaction holds the one write lock of the whole site, so everything
    that can happen before it does: the Plan and every row's database values are made from a
    read of the journal outside it. Inside, that read is repeated; only if another write changed
    it (a second import at the same moment) is the Plan made again there.
    """
    journal = _journal_around(user, days)
    rows = _Rows(user, days, overwrite, journal)
    try:
        with transaction.atomic():
            started = time.perf_counter()
            # Two imports for one person (two tabs, the page and the command) run one after
            # the other, so the second sees the first one's days and acts and adds no copies.
            lock_account(user)
            if pending is not None:
                _claim(pending)
            journal_now = _journal_around(user, days)
            if journal_now != journal:
                rows = _Rows(user, days, overwrite, journal_now)
            rows.write()
        held = time.perf_counter() - started
    except IntegrityError:
        raise ImportConflict from None
    # Read by `make load` and worth watching in production: how long every other writer waited.
    logger.info(
        "import wrote %d days and %d acts; write transaction held %.3f s",
        len(rows.plan.entries_to_create) + len(rows.plan.entries_to_update),
        len(rows.plan.acts_to_create),
        held,
        extra={"held_seconds": held},
    )
    return rows.plan


def _claim(pending):
    """Mark `pending` imported, or stop if a second confirm or another tab got there first."""
    # Locked (on PostgreSQL) so a second confirm of the same upload waits, then sees
    # `imported_at`. Without its content: the file stays out of the transaction.
    locked = PendingImport.objects.select_for_update().defer("content").get(pk=pending.pk)
    if locked.imported_at:
        raise AlreadyImported
    if (locked.mood_map, locked.kind_activities) != (pending.mood_map, pending.kind_activities):
        raise ImportConflict  # the mapping was changed in another tab since this was parsed
    locked.mark_imported()


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


ENTRY_COLUMNS = ("user", "date", "mood", "note", "recorded_on", "created_at", "updated_at")
ENTRY_UPDATED = ("mood", "note", "recorded_on", "updated_at")
ACT_COLUMNS = ("user", "date", "category", "description", "created_at", "updated_at")


# Rows per INSERT: as many as the database takes parameters for (SQLite: 999), at most this.
ROWS_PER_INSERT = 500


class _Rows:
    """The Plan for `days` against `journal`, and the statements that store it.

    Not bulk_create: it converts every model instance inside the call, which for 30,000 rows
    took seconds, all of them inside the write lock. Here Django's own conversions
    (get_db_prep_save) and the multi-row INSERTs are made when the rows are, before the
    transaction; writing only sends them. Values are always parameters.
    """

    def __init__(self, user, days, overwrite, journal):
        entry_pks, acts = journal
        self.plan = plan = make_plan(days, entry_pks.keys(), acts, overwrite)
        now = timezone.now()
        entries = (
            (user.pk, d.date, d.mood, d.note, d.recorded_on, now, now)
            for d in plan.entries_to_create
        )
        acts = (
            (user.pk, date, category, text, now, now)
            for date, category, text in plan.acts_to_create
        )
        self.inserts = [
            *_inserts(DayEntry, ENTRY_COLUMNS, entries),
            *_inserts(KindnessAct, ACT_COLUMNS, acts),
        ]
        # Only with overwrite, one UPDATE per day: rare, and bounded like the rest by the file.
        self.updates = _db_values(
            DayEntry,
            (*ENTRY_UPDATED, DayEntry._meta.pk.name),
            (
                (d.mood, d.note, d.recorded_on, now, entry_pks[d.date])
                for d in plan.entries_to_update
            ),
        )

    def write(self):
        with connection.cursor() as cursor:
            if self.updates:
                cursor.executemany(_update_sql(DayEntry, ENTRY_UPDATED), self.updates)
            for sql, params, many in self.inserts:
                (cursor.executemany if many else cursor.execute)(sql, params)


def _inserts(model, names, rows):
    """[(INSERT, its parameters: one list for one statement, or rows for executemany)].

    SQLite runs multi-row INSERTs fastest, as many rows as its 999 parameters allow; psycopg
    sends one statement for many rows (executemany) in a single pipeline, which PostgreSQL
    runs faster than huge VALUES lists.
    """
    rows = _db_values(model, names, rows)
    table, columns = connection.ops.quote_name(model._meta.db_table), _columns(model, names)
    one_row = f"({', '.join(['%s'] * len(names))})"
    if not rows:
        return []
    if connection.features.max_query_params is None:
        # Table and column names come from the models, every value is a parameter.
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES {one_row}"  # noqa: S608  # nosec B608
        return [(sql, rows, True)]
    batch = min(ROWS_PER_INSERT, connection.ops.bulk_batch_size(names, rows))
    statements = []
    for start in range(0, len(rows), batch):
        chunk = rows[start : start + batch]
        sql = (
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join([one_row] * len(chunk))}"  # noqa: S608  # nosec B608
        )
        statements.append((sql, [value for row in chunk for value in row], False))
    return statements


def _db_values(model, names, rows):
    """`rows` of Python values as Django would send them for the fields `names` of `model`.

    Each distinct value is converted once (the user, the time and most dates repeat), except
    in encrypted fields: there every value is encrypted afresh, so that equal notes get
    different tokens like everywhere else (a shared token would show which notes are equal).
    """
    fields = [model._meta.get_field(name) for name in names]
    converted = [None if isinstance(field, EncryptedTextField) else {} for field in fields]

    def db_value(column, value):
        known = converted[column]
        if known is None:
            return fields[column].get_db_prep_save(value, connection)
        if value not in known:
            known[value] = fields[column].get_db_prep_save(value, connection)
        return known[value]

    return [tuple(db_value(column, value) for column, value in enumerate(row)) for row in rows]


def _columns(model, names):
    return [connection.ops.quote_name(model._meta.get_field(name).column) for name in names]


def _update_sql(model, names):
    table, columns = connection.ops.quote_name(model._meta.db_table), _columns(model, names)
    assignments = ", ".join(f"{column} = %s" for column in columns)
    key = connection.ops.quote_name(model._meta.pk.column)
    return f"UPDATE {table} SET {assignments} WHERE {key} = %s"  # noqa: S608  # nosec B608
