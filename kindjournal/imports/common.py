"""What both importers share: reading the uploaded bytes as CSV text, and the parsed result.

No Django imports: the readers and their tests use plain Python. The Django side
(kindjournal/imports/services.py) supplies the limits taken from the journal models.
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class UnreadableFile(Exception):
    """The file as a whole is not something we can import; the message says why, for a person."""


class MalformedCsv(Exception):
    """The CSV reader gave up part-way; `problem` names the line."""

    def __init__(self, problem):
        super().__init__(str(problem))
        self.problem = problem


@dataclass(frozen=True)
class Limits:
    """The journal's rules an imported day must meet (from kindjournal/journal/models.py)."""

    first_date: datetime.date
    today: datetime.date  # the person's own today: no day after it can be imported
    mood_min: int
    mood_max: int
    note_max: int
    description_max: int


@dataclass(frozen=True)
class Problem:
    line: int
    message: str

    def __str__(self):
        return f"Line {self.line}: {self.message}"


@dataclass
class ImportedDay:
    """One day as it will be stored: a mood (None on a day with only acts) and its acts."""

    date: datetime.date
    mood: int | None
    note: str
    recorded_on: datetime.date | None
    acts: list = field(default_factory=list)  # [(category value, description), ...]
    line: int = 0  # where the day starts in the file, for messages


def decode(data):
    """The text of an uploaded CSV file (byte-order mark removed), or UnreadableFile."""
    if not data.strip():
        raise UnreadableFile("The file is empty. Choose the CSV file you exported.")
    if b"\0" in data[:8192]:
        raise UnreadableFile(
            "This is not a CSV file: it looks like a binary file (a spreadsheet, an image or "
            "a backup). Export your entries as CSV and choose that file."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFile(
            "This file is not UTF-8 text, so it is not a Daylio or KindJournal CSV export. "
            "Export your entries as CSV again and choose that file."
        ) from None


def header_of(text):
    """The first line's cells, trimmed and lower-cased, for recognising a format."""
    first_line = text.lstrip("\ufeff").partition("\n")[0].rstrip("\r")
    try:
        cells = next(csv.reader([first_line]), [])
    except csv.Error:
        return ()
    return tuple(cell.strip().lower() for cell in cells)


def data_rows(text, progress=None):
    """(line number where the row starts, cells) for each non-blank row below the header.

    Cells may hold line breaks, so line numbers come from the CSV reader, not from counting
    rows. `progress(line, total_lines)` is called as rows are read (the import command's bar).
    A row the CSV reader cannot make sense of ends the file with MalformedCsv.
    """
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    total_lines = text.count("\n") + 1
    try:
        next(reader, None)
        end_of_previous = reader.line_num
        for cells in reader:
            start = end_of_previous + 1
            end_of_previous = reader.line_num
            if progress:
                progress(reader.line_num, total_lines)
            if any(cell.strip() for cell in cells):
                yield start, cells
    except csv.Error as error:
        raise MalformedCsv(
            Problem(end_of_previous + 1, f"this is not valid CSV ({error}).")
        ) from None


def parse_iso_date(text):
    """A date written YYYY-MM-DD, or None."""
    text = text.strip()
    if not ISO_DATE.fullmatch(text):
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def date_problem(day, limits):
    """Why `day` cannot be in the journal, or None."""
    if day < limits.first_date:
        return (
            f"the date {day.isoformat()} is before {limits.first_date.isoformat()}, "
            "the first day KindJournal keeps."
        )
    if day > limits.today:
        return f"the date {day.isoformat()} is in the future."
    return None
