"""Which importer reads a file, decided by its header; the one entry point for both readers.

No database access. The import command calls `sniff` on the file's bytes; the page calls its
steps (`decode`, `recognise`, `require_rows`) with sizes.refusal in between. Both then call
`parse`, the page on every view of its preview, with the rows its size check has read.
"""

from dataclasses import dataclass, field

from kindjournal.imports import daylio, kindjournal_csv
from kindjournal.imports.common import (
    MalformedCsv,
    UnreadableFile,
    data_rows,
    decode,
    header_of,
)

DAYLIO, KINDJOURNAL = "daylio", "kindjournal"
FORMATS = (KINDJOURNAL, DAYLIO)
NAMES = {DAYLIO: "Daylio", KINDJOURNAL: "KindJournal"}


@dataclass(frozen=True)
class Source:
    format: str
    layout: str  # a description for people, e.g. "Daylio CSV export (older layout, ...)"
    text: str
    header: tuple  # the first line's cells, as `header_of` reads them


@dataclass
class Parsed:
    layout: str
    days: list
    problems: list
    # Daylio only: [(key, name, entries)] in the order the mapping form lists them, and the
    # proposed {mood key: value or None}.
    moods: list = field(default_factory=list)
    activities: list = field(default_factory=list)
    proposed_moods: dict = field(default_factory=dict)


def sniff(data, expected=None):
    """The Source in `data` (bytes), or UnreadableFile with a message for the person.

    With `expected` (the import command's --format), a file of the other format is refused.
    """
    return require_rows(recognise(decode(data), expected))


def recognise(text, expected=None):
    """The Source of `text` (already decoded), told apart by its header."""
    header = header_of(text)
    if kindjournal_csv.layout_of(header):
        source = Source(KINDJOURNAL, kindjournal_csv.layout_of(header), text, header)
    elif daylio.layout_of(header):
        source = Source(DAYLIO, daylio.layout_of(header), text, header)
    elif len(header) == 1 and "\t" in header[0]:
        raise UnreadableFile(
            "The cells in this file are separated by tabs, not commas (as when a spreadsheet "
            "saves “Unicode Text” or “Tab delimited”). Save it as “CSV UTF-8 (Comma delimited)” "
            "and choose that file."
        )
    else:
        raise UnreadableFile(
            "The first line is not the header of a Daylio or KindJournal CSV export. It should "
            "start with “full_date,date,weekday,time,mood” or “year,date,weekday,time,mood” "
            "(Daylio) or “date,weekday,mood,acts_count,acts” (KindJournal)."
        )
    if expected and source.format != expected:
        raise UnreadableFile(
            f"This is a {NAMES[source.format]} file, not a {NAMES[expected]} one "
            f"(its header is “{','.join(header)}”)."
        )
    return source


def require_rows(source):
    """`source`, or UnreadableFile if no row below its header holds anything.

    It reads up to the first row that does, so a file blank below its header is read to its
    end: the page checks sizes.refusal first, which stops after the rows it allows.
    """
    try:
        has_rows = next(data_rows(source.text), None) is not None
    except MalformedCsv:
        has_rows = True  # a row is there; parse lists what is wrong with it, by line
    if not has_rows:
        raise UnreadableFile(
            "There are no days to import: the file has a header but no entries below it."
        )
    return source


def parse(source, limits, labels, mood_map=None, kind_activities=None, progress=None, rows=None):
    """Parsed days and problems of `source`.

    `labels` is {category label: value} (KindJournal files). For Daylio, `mood_map` extends and
    overrides the English defaults ({name: value}) and `kind_activities` is
    {activity name: category value}; names match whatever their case and spacing.

    `rows` are the file's sizes.read_rows, where the page has read them for its size check
    (which refuses a file with more); without them the text is read to its end here.
    """
    data = rows.data_rows() if rows is not None else data_rows(source.text, progress)
    try:
        if source.format == KINDJOURNAL:
            days, problems = kindjournal_csv.read(data, source.header, limits, labels)
            return Parsed(source.layout, days, problems)
        export = daylio.read(data, source.header)
    except MalformedCsv as error:
        return Parsed(source.layout, [], [error.problem])
    proposed = daylio.proposed_moods(export, mood_map)
    kinds = {daylio.key(name): category for name, category in (kind_activities or {}).items()}
    days, problems = daylio.to_days(export, limits, proposed, kinds)
    # The form numbers its fields in these orders, so they depend on the file alone, never on
    # the mapping: Daylio's own moods best first, then the most used names.
    moods = sorted(
        ((mood, name, count) for mood, (name, count) in export.moods.items()),
        key=lambda item: (-daylio.DEFAULT_MOODS.get(item[0], 0), -item[2], item[1]),
    )
    activities = sorted(
        ((activity, name, count) for activity, (name, count) in export.activities.items()),
        key=lambda item: (-item[2], item[1]),
    )
    return Parsed(source.layout, days, problems, moods, activities, proposed)
