"""KindJournal's own CSV (what /export/csv/ writes), read back into days and acts.

The format belongs to kindjournal/exports/csv_format.py; this module only reads it. No Django
imports: the category labels come in as {label: value}.
"""

from kindjournal.exports.csv_format import (
    ACT_LABEL_SEPARATOR,
    NOTE_COLUMN,
    header,
    split_acts,
    unguard_formula,
)
from kindjournal.imports.common import ImportedDay, Problem, data_rows, date_problem, parse_iso_date

LAYOUTS = {header(False): "KindJournal CSV", header(True): "KindJournal CSV with notes"}


def layout_of(header_cells):
    return LAYOUTS.get(tuple(header_cells))


def read(text, header_cells, limits, labels, progress=None):
    """(days, problems) from a KindJournal CSV whose first line is `header_cells`.

    `labels` is {category label: stored value}.
    """
    columns = tuple(header_cells)
    days, problems, first_line_of = [], [], {}
    for line, cells in data_rows(text, progress):
        if len(cells) != len(columns):
            problems.append(Problem(line, f"expected {len(columns)} cells, found {len(cells)}."))
            continue
        row = dict(zip(columns, cells, strict=True))
        row_problems = []
        day = _day(line, row, limits, labels, row_problems)
        if day and day.date in first_line_of:
            row_problems.append(
                Problem(
                    line,
                    f"{day.date.isoformat()} is already on line {first_line_of[day.date]}.",
                )
            )
        problems += row_problems
        if day and not row_problems:
            first_line_of[day.date] = line
            if day.mood is not None or day.acts:
                days.append(day)
    days.sort(key=lambda day: day.date)
    return days, problems


def _day(line, row, limits, labels, problems):
    def problem(message):
        problems.append(Problem(line, message))

    date = parse_iso_date(row["date"])
    if date is None:
        problem(f"the date “{row['date']}” is not a date written like 2026-03-31.")
        return None
    if message := date_problem(date, limits):
        problem(message)

    mood = None
    if row["mood"].strip():
        raw = row["mood"].strip()
        if not raw.isdigit() or not limits.mood_min <= int(raw) <= limits.mood_max:
            problem(
                f"the mood “{raw}” is not a whole number from {limits.mood_min} "
                f"to {limits.mood_max}."
            )
        else:
            mood = int(raw)

    recorded_on = None
    if row["recorded_on"].strip():
        recorded_on = parse_iso_date(row["recorded_on"])
        if recorded_on is None:
            problem(f"recorded_on “{row['recorded_on']}” is not a date written like 2026-03-31.")

    note = unguard_formula(row.get(NOTE_COLUMN, ""))
    if len(note) > limits.note_max:
        problem(
            f"the note is {len(note)} characters long; the most a day keeps is {limits.note_max}."
        )
    if note and not row["mood"].strip():
        problem("there is a note but no mood; KindJournal keeps a note with the day's mood.")

    acts = _acts(row, labels, limits, problem)
    if mood is not None and recorded_on is None:
        recorded_on = date
    return ImportedDay(date, mood, note, recorded_on, acts, line)


def _acts(row, labels, limits, problem):
    cell = unguard_formula(row["acts"])
    try:
        acts = [(labels[label], description) for label, description in split_acts(cell, labels)]
    except ValueError:
        unknown = cell.split(ACT_LABEL_SEPARATOR, 1)[0] if ACT_LABEL_SEPARATOR in cell else cell
        problem(f"“{unknown[:60]}” is not a category label KindJournal knows.")
        return []
    count = row["acts_count"].strip()
    if not count.isdigit() or int(count) != len(acts):
        held = f"{len(acts)} act{'' if len(acts) == 1 else 's'}"
        problem(f"acts_count is “{count}” but the acts cell holds {held}.")
    for _, description in acts:
        if not description.strip():
            problem("an act has no description.")
        elif len(description) > limits.description_max:
            problem(
                f"the act “{description[:40]}…” is longer than {limits.description_max} characters."
            )
    return acts
