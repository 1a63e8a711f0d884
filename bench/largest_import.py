"""The largest files the /import/ page accepts (kindjournal/imports/sizes.py), for `make bench`
and `make load`. KindJournal CSV: every day the journal can hold up to yesterday, the most acts a
file may have spread over them, and notes filling it to just under the upload limit. Daylio:
as many entries, moods and activities as the page maps, each entry naming its share of the
activities a file may name, and as many of those ticked as kind as make the most acts.

Import it once Django is set up (it reads the limits from the app).
"""

import csv
import datetime
import io

from kindjournal.imports.daylio import COMMON, DEFAULT_MOODS, key
from kindjournal.imports.forms import MAX_UPLOAD_BYTES
from kindjournal.imports.sizes import (
    ACTIVITIES_NAMED_PER_FILE,
    ACTIVITIES_PER_ENTRY,
    ACTIVITIES_PER_FILE,
    ACTS_PER_DAY,
    ACTS_PER_FILE,
    CELL_CHARS,
    MOODS_PER_FILE,
    ROWS_PER_FILE,
)
from kindjournal.journal import csv_format
from kindjournal.journal.models import FIRST_DATE, NOTE_MAX_LENGTH


def largest_kindjournal_file(today, act_prefix="imported"):
    """(bytes, days, acts) of the file, ending the day before `today`."""
    days = (today - FIRST_DATE).days
    assert days <= ROWS_PER_FILE and ACTS_PER_DAY * days >= ACTS_PER_FILE
    # What is left of the upload limit once dates and acts are written goes to the notes.
    note_chars = (MAX_UPLOAD_BYTES - 60 * days - 30 * ACTS_PER_FILE) // days
    export_days = []
    for n in range(days):
        day = FIRST_DATE + datetime.timedelta(days=n)
        acts = ACTS_PER_FILE // days + (n < ACTS_PER_FILE % days)
        export_days.append(
            csv_format.ExportDay(
                date=day,
                mood=1 + n % 10,
                recorded_on=day,
                acts=[("Other", f"{act_prefix} {n}.{act}") for act in range(acts)],
                note=f"Day {n}. ".ljust(note_chars, "x"),
            )
        )
    data = "".join(csv_format.lines(export_days, notes=True)).encode(csv_format.ENCODING)
    assert len(data) <= MAX_UPLOAD_BYTES, len(data)
    return data, days, ACTS_PER_FILE


def largest_daylio_file(today):
    """(bytes, mood_map, kind_activities, acts): a Daylio export at every limit of the page,
    ending the day before `today`, and the mapping (as the preview form stores it) that makes
    `acts` acts of it.

    ROWS_PER_FILE entries over every day the journal can hold (two or three a day), the
    MOODS_PER_FILE moods and ACTIVITIES_PER_FILE activities, ACTIVITIES_NAMED_PER_FILE
    activities named in all; each entry names one of the kind activities, never the same one
    twice on a day, so the acts are one per entry: ACTS_PER_FILE.
    """
    days = (today - FIRST_DATE).days
    per_entry = ACTIVITIES_NAMED_PER_FILE // ROWS_PER_FILE
    assert ROWS_PER_FILE == ACTS_PER_FILE and per_entry <= ACTIVITIES_PER_ENTRY
    assert 3 * days >= ROWS_PER_FILE  # at most three entries a day, their notes within a day's
    moods = [*DEFAULT_MOODS, *(f"mood {n}" for n in range(len(DEFAULT_MOODS), MOODS_PER_FILE))]
    kind = [f"kind act {n}" for n in range(60)]
    other = [f"activity {n}" for n in range(ACTIVITIES_PER_FILE - len(kind))]

    def export(note_padding):
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COMMON)
        for entry in reversed(range(ROWS_PER_FILE)):  # newest first, as Daylio writes
            day, round_of_day = FIRST_DATE + datetime.timedelta(days=entry % days), entry // days
            names = [kind[(entry + round_of_day) % len(kind)]]
            names += [
                other[(entry * (per_entry - 1) + n) % len(other)] for n in range(per_entry - 1)
            ]
            writer.writerow(
                [
                    day.isoformat(),
                    day.strftime("%B %-d"),
                    day.strftime("%A"),
                    f"{8 + 4 * round_of_day}:{entry % 60:02d}",
                    moods[entry % len(moods)],
                    " | ".join(names),
                    "Evening",
                    f"Entry {entry}. " + "x" * note_padding,
                ]
            )
        return ("\ufeff" + out.getvalue()).encode()

    # What is left of the upload limit once everything else is written goes to the notes.
    note_padding = (MAX_UPLOAD_BYTES - len(export(0))) // ROWS_PER_FILE
    assert 3 * (note_padding + 30) <= NOTE_MAX_LENGTH and note_padding < CELL_CHARS
    data = export(note_padding)
    assert len(data) <= MAX_UPLOAD_BYTES, len(data)
    mood_map = {key(mood): 1 + n % 10 for n, mood in enumerate(moods)}
    return data, mood_map, {key(name): "other" for name in kind}, ACTS_PER_FILE
