"""A year in pixels as plain data: its cells, what each says, and each month's totals.

No Django imports: kindjournal/moodcalendar/views.py hands it the person's moods and act counts
for the year (kindjournal/moodcalendar/data.py) and renders what it returns.
"""

import calendar
import datetime
from dataclasses import dataclass

MONTH_NAMES = list(calendar.month_name)[1:]
MONTH_ABBREVIATIONS = [name[:3] for name in MONTH_NAMES]
WEEKDAY_ABBREVIATIONS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MOOD_STEPS = range(1, 11)


def acts_phrase(count):
    if count == 0:
        return "no acts of kindness"
    return f"{count} act{'' if count == 1 else 's'} of kindness"


@dataclass(frozen=True)
class Cell:
    """One calendar day: `mood` is None on a day without one; `linked` days (today and earlier)
    open the day's page."""

    date: datetime.date
    mood: int | None
    acts: int
    linked: bool
    is_today: bool

    @property
    def label(self):
        """What the cell says in words, e.g. "Tue 3 March: mood 7, 2 acts of kindness"."""
        day = f"{WEEKDAY_ABBREVIATIONS[self.date.weekday()]} {self.date.day} "
        day += MONTH_NAMES[self.date.month - 1]
        if not self.linked:
            return f"{day}: still to come"
        return f"{day}{' (today)' if self.is_today else ''}: {self._logged()}"

    @property
    def brief(self):
        """The label in short for a phone's one-month table, which shows the day and month
        beside it: "Tue: mood 7, 2 acts"."""
        weekday = WEEKDAY_ABBREVIATIONS[self.date.weekday()]
        mood = "no mood logged" if self.mood is None else f"mood {self.mood}"
        acts = f", {self.acts} act{'' if self.acts == 1 else 's'}" if self.acts else ""
        return f"{weekday}{' (today)' if self.is_today else ''}: {mood}{acts}"

    def _logged(self):
        mood = "no mood logged" if self.mood is None else f"mood {self.mood}"
        return f"{mood}, {acts_phrase(self.acts)}"


@dataclass(frozen=True)
class Totals:
    """Days rated, their mean mood (one decimal, None without any) and acts, over some days."""

    days_rated: int
    mean_mood: float | None
    acts: int

    @classmethod
    def of(cls, cells):
        moods = [cell.mood for cell in cells if cell.mood is not None]
        mean = round(sum(moods) / len(moods), 1) if moods else None
        return cls(len(moods), mean, sum(cell.acts for cell in cells))


@dataclass(frozen=True)
class Month:
    number: int
    name: str
    abbreviation: str
    cells: list
    totals: Totals


@dataclass(frozen=True)
class Year:
    number: int
    months: list
    # rows[d - 1][m - 1]: the cell for day d of month m, or None where the month is shorter.
    rows: list
    totals: Totals


def build_year(year, today, moods, acts):
    """The calendar of `year` as seen on `today`: `moods` maps dates to moods, `acts` dates
    to how many acts of kindness were logged that day (days absent from either have none)."""
    months = []
    for number in range(1, 13):
        length = calendar.monthrange(year, number)[1]
        cells = []
        for day in range(1, length + 1):
            date = datetime.date(year, number, day)
            mood, acts_logged = moods.get(date), acts.get(date, 0)
            cells.append(Cell(date, mood, acts_logged, date <= today, date == today))
        months.append(
            Month(
                number,
                MONTH_NAMES[number - 1],
                MONTH_ABBREVIATIONS[number - 1],
                cells,
                Totals.of(cells),
            )
        )
    rows = [
        [month.cells[day - 1] if day <= len(month.cells) else None for month in months]
        for day in range(1, 32)
    ]
    all_cells = [cell for month in months for cell in month.cells]
    return Year(year, months, rows, Totals.of(all_cells))


def year_links(year, first_year, this_year):
    """(previous, next) years to link to, or None: never before the person's first logged
    year (`first_year`, None for someone with nothing logged) nor after this year."""
    previous = year - 1 if first_year is not None and first_year <= year - 1 else None
    following = year + 1 if year + 1 <= this_year else None
    return previous, following


def month_links(month):
    """(previous, next) months within the same year for the one-month phone view, or None."""
    return (month - 1 if month > 1 else None), (month + 1 if month < 12 else None)
