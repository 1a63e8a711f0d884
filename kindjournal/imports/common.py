"""What both importers share: reading the uploaded bytes as CSV text, and the parsed result.

No database access and no request: the readers and their tests work on text alone. The journal's
own rules come from kindjournal/journal/models.py; kindjournal/imports/services.py supplies the
person's limits (their today).
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from itertools import islice

from kindjournal.journal.models import journal_date_problem

ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Excel's "Unicode Text" and PowerShell's `>` write UTF-16 with one of these byte-order marks.
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# Binary files (spreadsheets, images, backups) show a zero byte early; text never holds one.
BINARY_SNIFF_BYTES = 8192
EMPTY_FILE = "The file is empty. Choose the CSV file you exported."


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


def decode(data):
    """The text of an uploaded CSV file (byte-order mark removed), or UnreadableFile."""
    text = _text(data)
    if not text.strip():
        raise UnreadableFile(EMPTY_FILE)
    if "\0" in text:
        # Past the binary sniff: a text file with a stray zero byte. The journal cannot keep one
        # (PostgreSQL refuses it in text), so the file is refused before it is stored.
        line = line_count(text[: text.index("\0")])
        raise UnreadableFile(
            f"Line {line} holds a zero byte (NUL), which is not text. Remove it, or export "
            "your entries as CSV again and choose that file."
        )
    return text


def _text(data):
    if data.startswith(UTF16_BOMS):
        try:
            return data.decode("utf-16")  # reads the byte order from the mark and drops it
        except UnicodeDecodeError:
            raise UnreadableFile(
                "This file starts like UTF-16 text but is not valid UTF-16. Save it as "
                "“CSV UTF-8” and choose that file."
            ) from None
    if b"\0" in data[:BINARY_SNIFF_BYTES]:
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


def line_count(text):
    """The number of lines in `text` as the CSV reader counts them (ends: LF, CRLF or CR)."""
    return text.count("\n") + text.count("\r") - text.count("\r\n") + 1


def _reader(text):
    # strict: an unclosed quote is an error, not a cell that swallows the rest of the file.
    return csv.reader(io.StringIO(text, newline=""), strict=True)


def header_of(text):
    """The first line's cells, trimmed and lower-cased, for recognising a format."""
    try:
        cells = next(_reader(text), [])
    except csv.Error:
        return ()
    return tuple(cell.strip().lower() for cell in cells)


def csv_rows(text, progress=None):
    """(line number where the row starts, cells) for each row below the header, blank ones too.

    Cells may hold line breaks, so line numbers come from the CSV reader, not from counting
    rows. `progress(line, total_lines)` is called as rows are read (the import command's bar).
    Rows are read as they are asked for, so a caller can stop early. A row the CSV reader
    cannot make sense of ends the file with MalformedCsv.
    """
    reader = _reader(text)
    total_lines = line_count(text) if progress else None
    end_of_previous = 0
    try:
        next(reader, None)
        end_of_previous = reader.line_num
        for cells in reader:
            start = end_of_previous + 1
            end_of_previous = reader.line_num
            if progress:
                progress(reader.line_num, total_lines)
            yield start, cells
    except csv.Error as error:
        raise MalformedCsv(Problem(end_of_previous + 1, _csv_error(error))) from None


def is_blank(cells):
    return not any(map(str.strip, cells))


def data_rows(text, progress=None):
    """`csv_rows` without the blank rows: the rows the importers read into days."""
    return ((line, cells) for line, cells in csv_rows(text, progress) if not is_blank(cells))


@dataclass(frozen=True)
class Rows:
    """The first rows below a file's header, read once and kept: the /import/ page checks their
    sizes (kindjournal/imports/sizes.py) and then parses the same rows, rather than reading
    the CSV twice."""

    rows: list  # (line, cells) as `csv_rows` gives them, blank ones too
    malformed: Problem | None  # MalformedCsv's, if the CSV reader gave up before their end

    @classmethod
    def read(cls, text, most):
        """At most `most` rows of `text`."""
        rows = []
        try:
            # As tuples: the garbage collector stops tracking a tuple of strings (never a list),
            # so 20,000 rows kept through the parse do not make each of its collections slower.
            rows.extend((line, tuple(cells)) for line, cells in islice(csv_rows(text), most))
        except MalformedCsv as error:
            return cls(rows, error.problem)
        return cls(rows, None)

    def data_rows(self):
        """As `data_rows(text)` reads them: the rows that are not blank, then the MalformedCsv
        that stopped the read, if one did."""
        for line, cells in self.rows:
            if not is_blank(cells):
                yield line, cells
        if self.malformed:
            raise MalformedCsv(self.malformed)


def _csv_error(error):
    if str(error) == "unexpected end of data":
        return (
            'a cell here starts with a quote (") that is never closed, so the rest of the file '
            "cannot be read."
        )
    return f"this is not valid CSV ({error})."


def whole_number(text):
    """The number `text` writes in the digits 0-9 (spaces around allowed), or None.

    Not str.isdigit alone: it is true for "²", which int() refuses. At most 9 digits: every
    number in an import (a mood, a year, a count of acts) is far smaller, and int() refuses
    more than 4,300 digits with an error.
    """
    text = text.strip()
    return int(text) if len(text) <= 9 and text.isascii() and text.isdigit() else None


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
    """Why `day` cannot be imported (the journal's own rule), or None."""
    problem = journal_date_problem(day, limits.today)
    return problem and f"the date {day.isoformat()} cannot be imported. {problem}"
