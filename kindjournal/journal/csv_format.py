"""The therapist CSV, byte for byte: written by /export/csv/, read back by the importer.

One row per day that has a mood or at least one act, oldest first:

    date,weekday,mood,acts_count,acts,recorded_on[,note]

- UTF-8 with a byte-order mark (`BOM`) so Excel shows accents and emoji; RFC 4180 fields
  (`quote_field`), CRLF line ends (`LINE_END`), even inside the header.
- `mood` and `recorded_on` are empty on a day with acts but no rating.
- `acts` is `Category label: description` per act (`format_act`), joined with `ACTS_SEPARATOR`.
- Free-text cells (acts, note) are always quoted, and wherever a formula could start in them
  they get a quote (`guard_formula`); `unguard_formula` is its exact inverse for the importer.

No Django imports: the importer and the tests use it as plain Python, and any change here changes
the file format, so change `tests/test_csv_format.py` and the importer together.
"""

import re
from typing import NamedTuple

COLUMNS = ("date", "weekday", "mood", "acts_count", "acts", "recorded_on")
NOTE_COLUMN = "note"
ENCODING = "utf-8"
BOM = "\ufeff"
LINE_END = "\r\n"
# Joins the acts of one day; see `split_acts` for reading them back.
ACTS_SEPARATOR = "; "
# Between an act's category label (ActCategory's label, not its stored value) and description.
ACT_LABEL_SEPARATOR = ": "
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# OWASP "CSV Injection" and ASVS 1.2.10: a cell starting with one of these can run as a formula,
# also after leading spaces (LibreOffice and Excel skip them).
FORMULA_SIGNS = "=+-@"
# Where a spreadsheet may start a new cell inside ours: people open CSV files with semicolon
# (Excel's list separator in much of Europe) or tab as the separator, and then our quotes are
# not at the start of a cell, so they protect nothing and a line break ends the row.
CELL_STARTS = ";\t\r\n"
FORMULA_GUARD = "'"
_SIGN = f"[{re.escape(FORMULA_SIGNS)}]"


def _places(guard):
    """Where a formula could start, `guard` (nothing, or one guard) in front: quotes already
    there (so the guard stays reversible), spaces and a sign; at the very start of the cell
    also a tab, CR, LF or NUL (OWASP's list). The cell-start character is group 1."""
    # Matching the character instead of looking behind at every position: notes are long.
    return re.compile(
        rf"^{guard}(?='*(?: *{_SIGN}|[\t\r\n\0]))|([{CELL_STARTS}]){guard}(?='* *{_SIGN})"
    )


_UNGUARDED, _GUARDED = _places(""), _places(FORMULA_GUARD)
# RFC 4180: a field holding one of these is quoted, and its quotes doubled.
_NEEDS_QUOTES = (",", '"', "\r", "\n")


class ExportDay(NamedTuple):
    """One CSV row before formatting. `acts` is a list of (category label, description)."""

    date: object  # datetime.date
    mood: int | None
    recorded_on: object  # datetime.date or None
    acts: list
    note: str | None = None


def header(notes):
    """The column names of a file with (`notes` true) or without the note column."""
    return COLUMNS + (NOTE_COLUMN,) if notes else COLUMNS


def guard_formula(text):
    """`text` as a cell no spreadsheet will evaluate, whatever separators it splits on.

    A `FORMULA_GUARD` goes at the start, and after each `;`, tab, CR and LF, wherever what
    follows could be read as a formula (spaces, then = + - @). Quotes already there count as
    part of what follows ("'=1" becomes "''=1"): that keeps `unguard_formula` exact, while
    everyday text such as "'tis" is written as it is.
    """
    return _UNGUARDED.sub(rf"\1{FORMULA_GUARD}", text)


def unguard_formula(cell):
    """The original text of a free-text cell written by `guard_formula`."""
    if FORMULA_GUARD not in cell:
        return cell  # most cells, read quickly
    return _GUARDED.sub(r"\1", cell)


def format_act(label, description):
    """`Category label: description`, one act as it appears in the `acts` cell."""
    return f"{label}{ACT_LABEL_SEPARATOR}{description}"


def join_acts(acts):
    """The `acts` cell (before `guard_formula`) for [(category label, description), ...]."""
    return ACTS_SEPARATOR.join(format_act(label, description) for label, description in acts)


def split_acts(cell, labels):
    """[(label, description), ...] from an unguarded `acts` cell; inverse of `join_acts`.

    `labels` are the known category labels. A new act starts only where `ACTS_SEPARATOR` is
    followed by a known label and `ACT_LABEL_SEPARATOR`, so a description may itself contain
    "; " (it is ambiguous only if it contains "; <a category label>: ").
    """
    if not cell:
        return []
    starts = tuple(label + ACT_LABEL_SEPARATOR for label in labels)
    # Each act's parts, joined once at the end: adding each part to a string would copy the act
    # so far every time, which for a long cell of short parts takes seconds (quadratic).
    parts_of_acts = []
    for part in cell.split(ACTS_SEPARATOR):
        if parts_of_acts and not part.startswith(starts):
            parts_of_acts[-1].append(part)
        else:
            parts_of_acts.append([part])
    acts = []
    for parts in parts_of_acts:
        piece = ACTS_SEPARATOR.join(parts)
        label = next(
            (label for label in labels if piece.startswith(label + ACT_LABEL_SEPARATOR)), None
        )
        if label is None:
            raise ValueError(f"An act must start with a category label: {piece!r}")
        acts.append((label, piece[len(label) + len(ACT_LABEL_SEPARATOR) :]))
    return acts


def quote_field(value, always=False):
    """One RFC 4180 field: quoted (quotes doubled) when it holds , " CR or LF, or `always`."""
    if always or any(char in value for char in _NEEDS_QUOTES):
        return '"' + value.replace('"', '""') + '"'
    return value


def format_line(fields, free_text=()):
    """One line; the fields at the indexes `free_text` are always quoted, so a separator inside
    them never splits them in a spreadsheet that reads quotes."""
    return ",".join(quote_field(field, n in free_text) for n, field in enumerate(fields)) + (
        LINE_END
    )


def row_fields(day, notes):
    """The text cells of one `ExportDay`; only acts and note can be altered by the guard."""
    fields = [
        day.date.isoformat(),
        WEEKDAYS[day.date.weekday()],
        "" if day.mood is None else str(day.mood),
        str(len(day.acts)),
        guard_formula(join_acts(day.acts)),
        "" if day.recorded_on is None else day.recorded_on.isoformat(),
    ]
    if notes:
        fields.append(guard_formula(day.note or ""))
    return fields


# The indexes of the acts and note cells in `row_fields`.
FREE_TEXT = (COLUMNS.index("acts"), len(COLUMNS))


def encoded_chunks(text_lines, chunk_chars=16_384):
    """UTF-8 bytes of `text_lines` in pieces of about `chunk_chars`: few writes, little memory."""
    buffer, size = [], 0
    for line in text_lines:
        buffer.append(line)
        size += len(line)
        if size >= chunk_chars:
            yield "".join(buffer).encode(ENCODING)
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer).encode(ENCODING)


def lines(days, notes):
    """The whole file as text lines: BOM and header first, then one line per `ExportDay`."""
    yield BOM + format_line(header(notes))
    for day in days:
        yield format_line(row_fields(day, notes), FREE_TEXT)
