"""The largest KindJournal CSV the /import/ page accepts (kindjournal/imports/sizes.py), for
`make bench` and `make load`: every day the journal can hold up to yesterday, the most acts a
file may have spread over them, and notes filling it to just under the upload limit.

Import it once Django is set up (it reads the limits from the app).
"""

import datetime

from kindjournal.imports.forms import MAX_UPLOAD_BYTES
from kindjournal.imports.sizes import ACTS_PER_DAY, ACTS_PER_FILE, ROWS_PER_FILE
from kindjournal.journal import csv_format
from kindjournal.journal.models import FIRST_DATE


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
