"""Daylio's CSV export: three layouts, named moods, activities joined by " | ".

Reading happens in two steps because the person maps moods and activities in between:
`read` turns the file into entries and lists the mood names and activities found; `to_days`
applies a mapping and gives one ImportedDay per date. No database access.
"""

import datetime
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from kindjournal.imports.common import (
    ImportedDay,
    Problem,
    date_problem,
    parse_iso_date,
    whole_number,
)

# Daylio's own English mood names and the 1-10 value proposed for each.
DEFAULT_MOODS = {"rad": 10, "good": 8, "meh": 5, "bad": 3, "awful": 1}
ACTIVITY_SEPARATOR = " | "
COMMON = ("full_date", "date", "weekday", "time", "mood", "activities", "note_title", "note")
NEWER = (
    "full_date",
    "date",
    "weekday",
    "time",
    "mood",
    "activities",
    "scales",
    "note_title",
    "note",
)
OLDER = ("year", "date", "weekday", "time", "mood", "activities", "note")
LAYOUTS = {
    COMMON: "Daylio CSV export",
    NEWER: "Daylio CSV export (newer layout, with scales)",
    OLDER: "Daylio CSV export (older layout, with year and date)",
}
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
# The older layout's `date` is "18 May" or "May 18" (English month names only). Digits are
# 0-9 only, like everywhere in the importers (\d would also take other scripts' digits).
DAY_MONTH = re.compile(r"([0-9]{1,2})\.?\s+([^\W\d_]+)\.?")
MONTH_DAY = re.compile(r"([^\W\d_]+)\.?\s+([0-9]{1,2})")
TIME_24H = re.compile(r"([0-9]{1,2}):([0-9]{2})(?::[0-9]{2})?")
TIME_12H = re.compile(r"([0-9]{1,2}):([0-9]{2})(?::[0-9]{2})?\s*([ap])\.?\s*m\.?", re.IGNORECASE)


def key(name):
    """How mood and activity names are matched: spacing and case do not matter."""
    return " ".join(name.split()).casefold()


class _Memo(dict):
    """{text: function(text)}, each worked out the first time it is asked for."""

    def __init__(self, function):
        super().__init__()
        self.function = function

    def __missing__(self, text):
        self[text] = result = self.function(text)
        return result


class _Seen:
    """What one read has worked out, by the text the file writes: a file of 20,000 entries
    (sizes.ROWS_PER_FILE) writes its few hundred names up to 100,000 times
    (sizes.ACTIVITIES_NAMED_PER_FILE), and each of its dates and times many times over."""

    def __init__(self):
        self.names = _Memo(_tidy)
        self.iso_dates = _Memo(parse_iso_date)
        self.times = _Memo(parse_time)


def _tidy(written):
    """(a mood or activity name with its spacing tidied, its key); ("", "") for a blank one."""
    name = " ".join(written.split())
    return name, key(name)


class Entry(NamedTuple):
    line: int
    date: datetime.date
    time: datetime.time
    mood: str
    activities: tuple
    text: str  # note_title and note joined by a newline
    mood_key: str
    activity_keys: tuple  # key() of each of `activities`, in their order


@dataclass
class DaylioExport:
    layout: str
    entries: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    # {key: (name as first written, number of entries)}, for the mapping form.
    moods: dict = field(default_factory=dict)
    activities: dict = field(default_factory=dict)


def layout_of(header):
    return LAYOUTS.get(tuple(header))


def read(rows, header):
    """The entries of a Daylio export whose first line is `header` (see `layout_of`), from the
    (line, cells) of its `rows` that are not blank (common.data_rows)."""
    header = tuple(header)
    export = DaylioExport(layout=LAYOUTS[header])
    mood_counts, activity_counts, spellings = Counter(), Counter(), {}
    seen = _Seen()
    for line, cells in rows:
        if len(cells) != len(header):
            export.problems.append(
                Problem(line, f"expected {len(header)} cells, found {len(cells)}.")
            )
            continue
        entry = _entry(line, dict(zip(header, cells, strict=True)), export.problems, seen)
        if entry is None:
            continue
        export.entries.append(entry)
        mood_counts[entry.mood_key] += 1
        spellings.setdefault(entry.mood_key, entry.mood)
        activity_counts.update(entry.activity_keys)
        for activity, activity_key in zip(entry.activities, entry.activity_keys, strict=True):
            spellings.setdefault(activity_key, activity)
    export.moods = {k: (spellings[k], n) for k, n in mood_counts.items()}
    export.activities = {k: (spellings[k], n) for k, n in activity_counts.items()}
    return export


def proposed_moods(export, mood_map=None):
    """{mood key: 1-10 value or None} for the moods in `export`: the English defaults,
    extended and overridden by `mood_map` ({name: value})."""
    known = {**DEFAULT_MOODS, **{key(name): value for name, value in (mood_map or {}).items()}}
    return {mood: known.get(mood) for mood in export.moods}


def to_days(export, limits, mood_map, kind_activities):
    """(days, problems): one ImportedDay per date in `export`, oldest day first.

    `mood_map` is {mood key: 1-10}; `kind_activities` is {activity key: category value} for
    the activities that were acts of kindness. A day's mood is the mean of its entries rounded
    half up; its note joins each entry's text, oldest entry first, with a blank line.

    A mood without a value is one problem (at its first line), not one per entry, and its days
    still count, so the preview can show the whole file. With any problem, `days` is for the
    preview only: nothing may be written.
    """
    problems = list(export.problems) + _unmapped_moods(export, limits, mood_map)
    by_date = defaultdict(list)
    for entry in export.entries:
        by_date[entry.date].append(entry)
    days = []
    for date in sorted(by_date):
        # Daylio writes newest first, so on equal times the later line is the older entry.
        entries = sorted(by_date[date], key=lambda entry: (entry.time, -entry.line))
        first_line = min(entry.line for entry in entries)
        day_problems = []
        problem = date_problem(date, limits)
        if problem:
            day_problems.append(Problem(first_line, problem))
        note = "\n\n".join(entry.text for entry in entries if entry.text)
        if len(note) > limits.note_max:
            day_problems.append(
                Problem(
                    first_line,
                    f"the notes of {date.isoformat()} are {len(note)} characters long; "
                    f"the most a day can keep is {limits.note_max}.",
                )
            )
        acts = _acts(entries, kind_activities, limits, day_problems)
        problems += day_problems
        if not day_problems:
            moods = [mood_map.get(entry.mood_key) for entry in entries]
            mood = mean_rounded_half_up(moods) if None not in moods else None
            days.append(ImportedDay(date, mood, note, date, acts))
    problems.sort(key=lambda problem: problem.line)
    return days, problems


def _unmapped_moods(export, limits, mood_map):
    first_lines = {}
    for entry in export.entries:
        first_lines.setdefault(entry.mood_key, entry.line)
    problems = []
    for mood, (name, entries) in export.moods.items():
        value = mood_map.get(mood)
        if value is None or not limits.mood_min <= value <= limits.mood_max:
            on = f" It is on {entries} entries." if entries > 1 else ""
            problems.append(
                Problem(
                    first_lines[mood],
                    f"the mood “{name}” has no value from {limits.mood_min} to "
                    f"{limits.mood_max}.{on}",
                )
            )
    return problems


def mean_rounded_half_up(values):
    """The mean of whole numbers rounded half up (6.5 -> 7), in exact integer arithmetic."""
    return (2 * sum(values) + len(values)) // (2 * len(values))


def _acts(entries, kind_activities, limits, problems):
    """One act per kind activity on the day, even if several entries name it."""
    acts, seen = [], set()
    for entry in entries:
        for activity, activity_key in zip(entry.activities, entry.activity_keys, strict=True):
            category = kind_activities.get(activity_key)
            if category is None or activity_key in seen:
                continue
            seen.add(activity_key)
            if len(activity) > limits.description_max:
                problems.append(
                    Problem(
                        entry.line,
                        f"the activity “{activity[:40]}…” is longer than "
                        f"{limits.description_max} characters.",
                    )
                )
                continue
            acts.append((category, activity))
    return acts


def _entry(line, row, problems, seen):
    date = seen.iso_dates[row["full_date"]] if "full_date" in row else _older_date(row)
    if date is None:
        raw = row["full_date"] if "full_date" in row else f"{row['year']} {row['date']}"
        problems.append(Problem(line, f"“{raw.strip()}” is not a date Daylio writes."))
        return None
    time = seen.times[row["time"]]
    if time is None:
        problems.append(
            Problem(line, f"the time “{row['time'].strip()}” is not like 22:13 or 8:30 pm.")
        )
        return None
    mood, mood_key = seen.names[row["mood"]]
    if not mood:
        problems.append(Problem(line, "the mood is empty."))
        return None
    activities = [seen.names[part] for part in row["activities"].split(ACTIVITY_SEPARATOR)]
    activities = [(name, activity_key) for name, activity_key in activities if name]
    text = "\n".join(part for part in (row.get("note_title", ""), row["note"]) if part.strip())
    return Entry(
        line,
        date,
        time,
        mood,
        tuple(name for name, _ in activities),
        text,
        mood_key,
        tuple(activity_key for _, activity_key in activities),
    )


def _older_date(row):
    year, day_month = row["year"], row["date"].strip()
    match = DAY_MONTH.fullmatch(day_month)
    if match:
        day, month = match.groups()
    else:
        match = MONTH_DAY.fullmatch(day_month)
        if not match:
            return None
        month, day = match.groups()
    year, month = whole_number(year), MONTHS.get(month.casefold())
    if year is None or month is None:
        return None
    try:
        return datetime.date(year, month, int(day))
    except ValueError:
        return None


def parse_time(text):
    """A Daylio time, "22:13" or "8:30 pm" (also "8:30 PM", "8:30 p.m."), or None."""
    text = text.strip()
    match = TIME_12H.fullmatch(text)
    if match:
        hour, minute, half = int(match[1]), int(match[2]), match[3].lower()
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "p" else 0)
    else:
        match = TIME_24H.fullmatch(text)
        if not match:
            return None
        hour, minute = int(match[1]), int(match[2])
    if hour > 23 or minute > 59:
        return None
    return datetime.time(hour, minute)
