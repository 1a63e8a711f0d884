"""Gentle progress for Today: days logged this month and this week, acts of kindness so far,
"Welcome back" after a gap, and what the person did for others a year (or a month) ago.

Nothing here is a streak: no number falls back to zero when a day is missed. No Django imports:
the queries are progress_for() and acts_and_on_this_day_for() in kindjournal/journal/models.py.
"""

import calendar
import datetime
from dataclasses import dataclass

# Whole days with nothing logged, just before today, after which Today says "Welcome back".
WELCOME_BACK_AFTER_DAYS = 3
# How many of the newest logged dates progress() needs: every day of this month and week (31
# at most: a month's first day is never more than 30 days back, a week's Monday 6), and one more
# to tell whether anything was logged before them.
LATEST_DATES = 32
# Acts shown under "On this day"; a busier day links to itself for the rest.
ON_THIS_DAY_LIMIT = 5
# Past-tense verbs that read on after "you": "A year ago today you sent flowers to Sam".
# Most past tenses end in "ed" and need no entry here.
# fmt: off
IRREGULAR_PAST_TENSES = frozenset({
    "ate", "bought", "brought", "built", "drove", "fed", "found", "gave", "got", "held", "kept",
    "left", "lent", "made", "met", "paid", "put", "ran", "read", "said", "sat", "sent", "sang",
    "spent", "stood", "swept", "taught", "told", "took", "wrote",
})
# fmt: on


def week_start(today):
    """Monday of today's week (the week starts on Monday, as in LANGUAGE_CODE en-gb)."""
    return today - datetime.timedelta(days=today.weekday())


@dataclass(frozen=True)
class Progress:
    """Days logged so far this month and week (today counts as a day so far), out of how many."""

    month_logged: int
    month_days: int
    week_logged: int
    week_days: int
    acts_total: int
    welcome_back: bool


def progress(today, latest, acts_total):
    """The progress line for `today` from the LATEST_DATES newest dates up to today with a
    mood or an act (`latest`) and the number of acts ever logged.

    None for a person who has never logged anything: there is no progress to show yet.
    """
    if not latest:
        return None
    month, week = today.replace(day=1), week_start(today)
    before_today = [date for date in latest if date < today]
    quiet_since = today - datetime.timedelta(days=WELCOME_BACK_AFTER_DAYS)
    return Progress(
        month_logged=sum(date >= month for date in latest),
        month_days=today.day,
        week_logged=sum(date >= week for date in latest),
        week_days=today.weekday() + 1,
        acts_total=acts_total,
        welcome_back=bool(before_today) and max(before_today) < quiet_since,
    )


def _clamped(year, month, day):
    last = (datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)).day
    return datetime.date(year, month, min(day, last))


def year_ago_dates(today):
    """The day a year before `today`: 29 February looks back to 28 February, and 28 February
    after a leap year also to the 29th, so acts of a 29 February come back too."""
    dates = [_clamped(today.year - 1, today.month, today.day)]
    if (today.month, today.day) == (2, 28) and _clamped(today.year - 1, 2, 29).day == 29:
        dates.append(datetime.date(today.year - 1, 2, 29))
    return dates


def month_ago_date(today):
    """The same day a month before (the month's last day where it is shorter: 31 March looks
    back to the end of February)."""
    if today.month == 1:
        return _clamped(today.year - 1, 12, today.day)
    return _clamped(today.year, today.month - 1, today.day)


def on_this_day_dates(today):
    """Every date "On this day" may show, year-ago dates first (on_this_day's order)."""
    return [*year_ago_dates(today), month_ago_date(today)]


def you_did(description):
    """ "you cooked a meal for Ana" when the act starts with a past-tense verb, else the
    person's own words quoted: "you logged “Ana's birthday card”"."""
    words = description.split(maxsplit=1)
    first = words[0].strip(".,;:!?").lower() if words else ""
    if first in IRREGULAR_PAST_TENSES or (first.endswith("ed") and len(first) >= 5):
        return f"you {description[0].lower()}{description[1:]}"
    return f"you logged “{description}”"


@dataclass(frozen=True)
class Memory:
    date: datetime.date
    sentence: str


@dataclass(frozen=True)
class OnThisDay:
    memories: list
    dates: list
    more: bool


def on_this_day(today, acts):
    """The "On this day" box from `acts`, (date, description) pairs on on_this_day_dates(today)
    in date order, at most ON_THIS_DAY_LIMIT + 1 of them: a year ago's acts, or if there are
    none a month ago's. None when there is nothing to show."""
    year_ago = year_ago_dates(today)
    chosen = [(date, text, "A year ago") for date, text in acts if date in year_ago]
    if not chosen:
        month_ago = month_ago_date(today)
        chosen = [(date, text, "A month ago") for date, text in acts if date == month_ago]
    if not chosen:
        return None
    memories = [Memory(date, _sentence(today, date, text, ago)) for date, text, ago in chosen]
    return OnThisDay(
        memories[:ON_THIS_DAY_LIMIT],
        sorted({memory.date for memory in memories}),
        more=len(memories) > ON_THIS_DAY_LIMIT,
    )


def _sentence(today, date, description, ago):
    if date.day == today.day:
        when = f"{ago} today"
    else:
        when = f"{ago}, on {date.day} {calendar.month_name[date.month]},"
    sentence = f"{when} {you_did(description)}"
    return sentence if sentence.endswith((".", "!", "?")) else f"{sentence}."
