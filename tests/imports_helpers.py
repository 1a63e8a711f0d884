"""Small builders shared by the import tests: sample files live in tests/data/."""

import datetime
from pathlib import Path

from kindjournal.imports.common import Limits

DATA = Path(__file__).parent / "data"
TODAY = datetime.date(2026, 6, 30)
LIMITS = Limits(TODAY, 1, 10, 5000, 200)
DAYLIO_HEADER = "full_date,date,weekday,time,mood,activities,note_title,note"


def sample(name):
    return (DATA / name).read_bytes()


def daylio_file(*rows, header=DAYLIO_HEADER):
    """A common-layout Daylio export as bytes; each row is a CSV line without its line end."""
    return ("\n".join([header, *rows]) + "\n").encode()


def daylio_row(day, mood="good", activities="", note="", time="20:00", title=""):
    return f'{day.isoformat()},x,x,{time},{mood},"{activities}","{title}","{note}"'
