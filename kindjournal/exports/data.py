"""What an export reads from the journal: the person's days in a date range, streamed."""

from itertools import groupby

from kindjournal.journal.csv_format import ExportDay
from kindjournal.journal.models import ActCategory, DayEntry, KindnessAct, logged_dates

# Rows fetched per database round trip: big enough to be quick, small enough that ten years
# of data never sit in memory at once.
CHUNK_SIZE = 500
_LABELS = dict(ActCategory.choices)


def first_logged_date(user):
    """The earliest day with a mood or an act, or None: where "everything" starts."""
    return logged_dates(user).order_by("date").first()


def export_days(user, start, end, notes):
    """An iterator of `ExportDay`, oldest first, for each day in [start, end] with data.

    Two queries whatever the range (entries and acts, each read in chunks and merged by date).
    The note is read from the database only when `notes` is true.
    """
    entry_fields = ["date", "mood", "recorded_on"] + (["note"] if notes else [])
    entries = (
        DayEntry.objects.for_user(user)
        .filter(date__range=(start, end))
        .order_by("date")
        .values_list(*entry_fields)
        .iterator(chunk_size=CHUNK_SIZE)
    )
    acts = (
        KindnessAct.objects.for_user(user)
        .filter(date__range=(start, end))
        .order_by("date", "created_at", "pk")
        .values_list("date", "category", "description")
        .iterator(chunk_size=CHUNK_SIZE)
    )
    acts_by_day = (
        (day, [(_LABELS[category], description) for _, category, description in rows])
        for day, rows in groupby(acts, key=lambda row: row[0])
    )
    return _merge(entries, acts_by_day)


def _merge(entries, acts_by_day):
    """Walk two date-ordered streams together, one `ExportDay` per date found in either."""
    entry = next(entries, None)
    day_acts = next(acts_by_day, None)
    while entry is not None or day_acts is not None:
        entry_day = entry[0] if entry is not None else None
        acts_day = day_acts[0] if day_acts is not None else None
        day = min(d for d in (entry_day, acts_day) if d is not None)
        if entry_day == day:
            _, mood, recorded_on, *note = entry
            entry = next(entries, None)
        else:
            mood = recorded_on = None
            note = []
        if acts_day == day:
            acts = day_acts[1]
            day_acts = next(acts_by_day, None)
        else:
            acts = []
        yield ExportDay(day, mood, recorded_on, acts, note[0] if note else None)
