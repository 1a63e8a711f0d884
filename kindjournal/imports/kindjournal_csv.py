"""KindJournal's own CSV (what /export/csv/ writes), read back into days and acts.

The format belongs to kindjournal/journal/csv_format.py; this module only reads it. No database
access: the category labels come in as {label: value}.
"""

from kindjournal.imports.common import (
    ImportedDay,
    Problem,
    date_problem,
    parse_iso_date,
    whole_number,
)
from kindjournal.journal.csv_format import (
    ACT_LABEL_SEPARATOR,
    ACTS_SEPARATOR,
    NOTE_COLUMN,
    header,
    split_acts,
    unguard_formula,
)

LAYOUTS = {header(False): "KindJournal CSV", header(True): "KindJournal CSV with notes"}


def layout_of(header_cells):
    return LAYOUTS.get(tuple(header_cells))


def read(rows, header_cells, limits, labels):
    """(days, problems) from a KindJournal CSV whose first line is `header_cells`, from the
    (line, cells) of its `rows` that are not blank (common.data_rows).

    `labels` is {category label: stored value}.
    """
    columns = tuple(header_cells)
    days, problems, first_line_of = [], [], {}
    for line, cells in rows:
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
        mood = whole_number(row["mood"])
        if mood is None or not limits.mood_min <= mood <= limits.mood_max:
            problem(
                f"the mood “{row['mood'].strip()}” is not a whole number from {limits.mood_min} "
                f"to {limits.mood_max}."
            )
            mood = None

    recorded_on = None
    if row["recorded_on"].strip():
        recorded_on = parse_iso_date(row["recorded_on"])
        if recorded_on is None:
            problem(f"recorded_on “{row['recorded_on']}” is not a date written like 2026-03-31.")
        elif recorded_on < date:
            problem(
                f"recorded_on {recorded_on.isoformat()} is before the day itself; a day is "
                "recorded on its date or later."
            )
        elif recorded_on > limits.today:
            problem(f"recorded_on {recorded_on.isoformat()} is in the future.")

    note = unguard_formula(row.get(NOTE_COLUMN, ""))
    if len(note) > limits.note_max:
        problem(
            f"the note is {len(note)} characters long; the most a day keeps is {limits.note_max}."
        )
    if not row["mood"].strip():
        if note:
            problem("there is a note but no mood; KindJournal keeps a note with the day's mood.")
        elif not row["acts"].strip():
            problem("there is neither a mood nor an act on this day.")

    acts = _acts(row, labels, limits, problem)
    if mood is not None and recorded_on is None:
        recorded_on = date
    return ImportedDay(date, mood, note, recorded_on, acts)


def _acts(row, labels, limits, problem):
    cell = unguard_formula(row["acts"])
    count = whole_number(row["acts_count"])
    try:
        acts = [(labels[label], description) for label, description in _split(cell, count, labels)]
    except ValueError:
        unknown = cell.split(ACT_LABEL_SEPARATOR, 1)[0] if ACT_LABEL_SEPARATOR in cell else cell
        problem(f"“{unknown[:60]}” is not a category label KindJournal knows.")
        return []
    if count != len(acts):
        held = f"{len(acts)} act{'' if len(acts) == 1 else 's'}"
        why = "."
        if count is not None and 1 < count < len(acts):
            why = (
                f"; a description holds “{ACTS_SEPARATOR}” before a category label, so where "
                "each act ends is unclear."
            )
        problem(f"acts_count is “{row['acts_count'].strip()}” but the acts cell holds {held}{why}")
    for _, description in acts:
        if not description.strip():
            problem("an act has no description.")
        elif len(description) > limits.description_max:
            problem(
                f"the act “{description[:40]}…” is longer than {limits.description_max} characters."
            )
    return acts


def _split(cell, count, labels):
    """[(label, description)] of the acts cell, read with the help of acts_count.

    `split_acts` starts an act before every "; <category label>: ", which also splits a
    description holding those words. With acts_count 1 there is only one way to read the cell
    back; with more acts than that there are several, and the count mismatch is reported.
    """
    acts = split_acts(cell, labels)
    if len(acts) > 1 and count == 1:
        label = acts[0][0]
        return [(label, cell[len(label) + len(ACT_LABEL_SEPARATOR) :])]
    return acts
