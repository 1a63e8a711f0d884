"""How big an import the /import/ page takes: limits no real journal reaches that still bound
the work one upload can cause (its preview, its mapping form, its write).

Ten years of a busy Daylio journal is about 5,000 rows, 20 moods, 100 activities and
15,000 acts; the limits leave several times that. `refusal` counts with the CSV reader and
string counts only, before any form is built or any row is parsed into days, so a file made to
be expensive costs one quick read. Bigger files go through the import_journal command, which
an operator runs knowingly. No database access.
"""

from dataclasses import dataclass

from kindjournal.imports import formats
from kindjournal.imports.common import Rows, is_blank
from kindjournal.imports.daylio import ACTIVITY_SEPARATOR, key
from kindjournal.journal.csv_format import ACT_LABEL_SEPARATOR, ACTS_SEPARATOR

# Blank rows count too: the CSV reader spends as long on a blank line as on a short row, so a
# file of 5 million blank lines is refused after the first 20,001, never read to its end.
ROWS_PER_FILE = 20_000
ACTS_PER_DAY = 50
ACTS_PER_FILE = 20_000
# Daylio only: each distinct mood and activity is a field (two for an activity) of the mapping
# form, so these also keep that form within DATA_UPLOAD_MAX_NUMBER_FIELDS (a test checks it).
MOODS_PER_FILE = 50
ACTIVITIES_PER_FILE = 300
# Daylio only: activities named by one entry, and by all entries together (one activity on
# 3,000 entries counts 3,000). The parse and the preview work through each one; a busy entry
# names a handful, and these allow five an entry at the row limit.
ACTIVITIES_PER_ENTRY = 50
# Characters in one mood's or activity's name. Each is written into the mapping form (twice for
# an activity), so their length, not only their number, sizes the preview page. An activity
# becomes an act's description, which holds at most 200 (KindnessAct.description); Daylio's
# own moods are a word or two.
MOOD_NAME_CHARS = 100
ACTIVITY_NAME_CHARS = 200
ACTIVITIES_NAMED_PER_FILE = 100_000
# Characters in one cell. The longest a KindJournal export writes for a day the page imports is
# its acts cell: 50 acts of 200 characters with the longest category label, 11,398 characters,
# up to 16,398 where descriptions are full of formula guards (a test imports that day). A note
# keeps 5,000 (NOTE_MAX_LENGTH), a Daylio day's notes together too.
CELL_CHARS = 20_000
# Uploads kept waiting for a confirm, per person; a new one replaces the oldest.
WAITING_UPLOADS = 3

INSTEAD = (
    "Export a shorter period and import it in parts, or ask whoever runs your KindJournal to "
    "import the whole file with the import_journal command."
)


@dataclass(frozen=True)
class SizeProblem:
    """A limit the whole file (not one line) goes over."""

    message: str

    def __str__(self):
        return self.message


def read_rows(source):
    """The rows of `source` (a formats.Source) that `refusal` counts, and the page then parses:
    never more than one over ROWS_PER_FILE, since past that the count is all the refusal needs.
    A row the CSV reader cannot read ends them: those before it still count, and the parse
    names it."""
    return Rows.read(source.text, ROWS_PER_FILE + 1)


def refusal(source, rows, labels):
    """Why the page will not take `source` (a formats.Source) whose `read_rows` are `rows`,
    with its counts; or None.

    `labels` are the category labels a KindJournal acts cell starts its acts with.
    """
    rows = rows.rows
    if len(rows) > ROWS_PER_FILE:
        return _too_big(
            f"This file has more than {ROWS_PER_FILE:,} rows (blank lines count too); the page "
            f"imports at most {ROWS_PER_FILE:,}."
        )
    if problem := _long_cell(rows, source.header):
        return problem
    rows = [(line, cells) for line, cells in rows if not is_blank(cells)]
    if source.format == formats.KINDJOURNAL:
        return _kindjournal_refusal(rows, source.header.index("acts"), labels)
    return _daylio_refusal(rows, source.header.index("mood"), source.header.index("activities"))


def acts_problem(days):
    """A SizeProblem if the mapped `days` (ImportedDay) hold more acts than the limits; or None.

    For Daylio the acts are known only once activities are ticked as kind, so this runs on
    every preview, after the mapping.
    """
    total = sum(len(day.acts) for day in days)
    busiest = max(days, key=lambda day: len(day.acts), default=None)
    if busiest is not None and len(busiest.acts) > ACTS_PER_DAY:
        return SizeProblem(
            f"{busiest.date.isoformat()} would get {len(busiest.acts)} acts; the page imports at "
            f"most {ACTS_PER_DAY} a day. Tick fewer activities as kind, or: {INSTEAD}"
        )
    if total > ACTS_PER_FILE:
        return SizeProblem(
            f"The activities ticked as kind make {total:,} acts; the page imports at most "
            f"{ACTS_PER_FILE:,} from one file. Tick fewer, or: {INSTEAD}"
        )
    return None


def _long_cell(rows, header):
    """Why the first row with a cell over CELL_CHARS is refused, or None. Blank rows too: a
    cell of spaces is as long to read."""
    for line, cells in rows:
        if max(map(len, cells), default=0) <= CELL_CHARS:
            continue
        number, cell = next((n, cell) for n, cell in enumerate(cells) if len(cell) > CELL_CHARS)
        column = f"“{header[number]}”" if number < len(header) else f"number {number + 1}"
        return (
            f"Line {line}: the {column} cell is {len(cell):,} characters long; the "
            f"page reads at most {CELL_CHARS:,} in one cell, more than a day's note or acts "
            "ever fill. Nothing was kept. Shorten that cell, or ask whoever runs your "
            "KindJournal to import the file with the import_journal command."
        )
    return None


def _kindjournal_refusal(rows, acts_column, labels):
    # Where `split_acts` would start an act: the first one, then each "; <label>: ".
    starts = [ACTS_SEPARATOR + label + ACT_LABEL_SEPARATOR for label in labels]
    total, busiest = 0, 0
    for _, cells in rows:
        cell = cells[acts_column] if len(cells) > acts_column else ""
        acts = 1 + sum(cell.count(start) for start in starts) if cell.strip() else 0
        total, busiest = total + acts, max(busiest, acts)
    if busiest > ACTS_PER_DAY:
        return _too_big(
            f"A day in this file has {busiest:,} acts; the page imports at most "
            f"{ACTS_PER_DAY} a day."
        )
    if total > ACTS_PER_FILE:
        return _too_big(
            f"This file has {total:,} acts; the page imports at most {ACTS_PER_FILE:,}."
        )
    return None


def _daylio_refusal(rows, mood_column, activities_column):
    moods, activities, named = set(), set(), 0
    for line, cells in rows:
        if len(cells) > activities_column:
            mood = cells[mood_column]
            if len(mood.strip()) > MOOD_NAME_CHARS:
                return _too_big(
                    f"Line {line}: this mood's name is {len(mood.strip()):,} characters long; "
                    f"the page maps names of at most {MOOD_NAME_CHARS}."
                )
            moods.add(mood)
            # As the parser reads them: between separators, not blank.
            entry = [a for a in cells[activities_column].split(ACTIVITY_SEPARATOR) if a.strip()]
            if len(entry) > ACTIVITIES_PER_ENTRY:
                return _too_big(
                    f"Line {line}: this entry names {len(entry):,} activities; the page imports "
                    f"at most {ACTIVITIES_PER_ENTRY} an entry."
                )
            longest = max((len(activity.strip()) for activity in entry), default=0)
            if longest > ACTIVITY_NAME_CHARS:
                return _too_big(
                    f"Line {line}: an activity's name is {longest:,} characters long; the page "
                    f"maps names of at most {ACTIVITY_NAME_CHARS}."
                )
            named += len(entry)
            activities.update(entry)
    if named > ACTIVITIES_NAMED_PER_FILE:
        return _too_big(
            f"The entries in this file name {named:,} activities in all; the page imports at "
            f"most {ACTIVITIES_NAMED_PER_FILE:,}."
        )
    # Named as the parser names them (case and spacing do not matter), from the few spellings.
    moods = {key(mood) for mood in moods} - {""}
    activities = {key(activity) for activity in activities}
    if len(moods) > MOODS_PER_FILE or len(activities) > ACTIVITIES_PER_FILE:
        return _too_big(
            f"This file has {len(moods):,} different moods and {len(activities):,} different "
            f"activities; the page can map at most {MOODS_PER_FILE} moods and "
            f"{ACTIVITIES_PER_FILE} activities."
        )
    return None


def _too_big(counts):
    return f"{counts} Nothing was kept. {INSTEAD}"
