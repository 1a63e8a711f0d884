"""Load a person's day series for Insights and run the statistics on it (two queries).

Used by the Insights page and by the printable therapist report (exports).
"""

import datetime

from django.db import connection

from kindjournal.insights import stats
from kindjournal.journal.models import FIRST_DATE, ActCategory
from kindjournal.journal.periods import last_days

RANGES = {"30": 30, "90": 90, "365": 365, "all": None}
RANGE_LABELS = {"30": "30 days", "90": "90 days", "365": "1 year", "all": "All time"}
DEFAULT_RANGE = "90"


def resolve_range(key, today):
    """(start, end, key) for `?range=key`: the last 30, 90 or 365 days ending `today`.

    `today` is the person's local date (`request.profile.today()`). For "all", start is None:
    `insights_for` then starts at the first entry or act, found by the queries it runs anyway.
    Any other key, missing or unknown, falls back to 90.
    """
    if key not in RANGES:
        key = DEFAULT_RANGE
    days = RANGES[key]
    if days is None:
        return None, today, key
    return *last_days(days, today), key


def insights_for(user, start, end, key=None, *, look_back=True):
    """Everything the Insights page shows about `user` for start..end (dates, both included).

    `start` None means from the person's first entry or act (`end` if there is none); `key` is
    the `?range=` value the dates came from, echoed in the result (None for any other period).
    Returns `stats.compute()`'s plain-data dict with `range` ({start, end, key}, start resolved)
    added and a label on each `by_category` row. Two aggregate queries, whatever the amount of
    data. Typical use: `insights_for(user, *resolve_range(key, profile.today()))`.
    `look_back` False reads nothing before `start`: the 7-day averages of the first six days
    then use the period's own days only, so that a report given to someone else tells nothing
    of the days before its period (the moods behind those averages can be worked out).
    """
    first = FIRST_DATE if start is None else _first_date_read(start) if look_back else start
    params = {"user": user.pk, "first": first, "end": end}
    with connection.cursor() as cursor:
        cursor.execute(_statement(_MOODS_SQL, connection.vendor), params)
        moods = {_from_iso(day): mood for day, mood in cursor.fetchall()}
        cursor.execute(
            _statement(_ACT_DAYS_SQL, connection.vendor), {**params, **_CATEGORY_PARAMETERS}
        )
        act_days = {
            _from_iso(day): (count, _CATEGORIES_OF_BITS[bits])
            for day, count, bits in cursor.fetchall()
        }
    if start is None:
        start = min(moods.keys() | act_days.keys(), default=end)
    days = [(day, mood, *act_days.pop(day, _NO_ACTS)) for day, mood in moods.items()]
    days += [(day, None, *counts) for day, counts in act_days.items()]
    result = stats.compute(days, start, end, labels=dict(ActCategory.choices))
    return {"range": {"start": start, "end": end, "key": key}, **result}


# The two statements are written out rather than built with the ORM: on ten years of days its
# per-row converters and the building of the statements cost about as much as running them
# (bench/bench_insights.py). Both are scoped like OwnedQuerySet.for_user (`user_id = %(user)s`)
# and read only the (user, date, ...) indexes. Dates come back as ISO text, which
# date.fromisoformat reads faster than a per-row date converter: CAST on SQLite (stored so; the
# cast also skips sqlite3's converter), to_char on PostgreSQL, whatever the server's DateStyle.
_ISO_DATE = {"postgresql": "to_char(date, 'YYYY-MM-DD')"}
_MOODS_SQL = (
    "SELECT {iso_date}, mood FROM journal_dayentry"
    " WHERE user_id = %(user)s AND date >= %(first)s AND date <= %(end)s"
)
# One row per day with acts: how many, and which categories as bits of one number (each
# category's bit once per day, so SUM(DISTINCT) is their OR), instead of a row per
# (day, category).
_BITS = {category: 1 << bit for bit, category in enumerate(ActCategory.values)}
_CATEGORY_PARAMETERS = {f"category_{bit}": category for category, bit in _BITS.items()}
_CATEGORY_BIT_SQL = " ".join(f"WHEN %(category_{bit})s THEN {bit}" for bit in _BITS.values())
_ACT_DAYS_SQL = (
    "SELECT {iso_date}, COUNT(*),"  # noqa: S608  # nosec B608: fixed expressions only
    f" SUM(DISTINCT CASE category {_CATEGORY_BIT_SQL} ELSE 0 END) FROM journal_kindnessact"
    " WHERE user_id = %(user)s AND date >= %(first)s AND date <= %(end)s GROUP BY date"
)


def _statement(sql, vendor):
    # Only the fixed expressions above are joined in; every value is a parameter.
    return sql.format(iso_date=_ISO_DATE.get(vendor, "CAST(date AS text)"))


# Every possible sum of bits -> the categories it holds, in ActCategory order.
_CATEGORIES_OF_BITS = {
    bits: tuple(category for category, bit in _BITS.items() if bits & bit)
    for bits in range(1 << len(_BITS))
}
_NO_ACTS = (0, ())
_from_iso = datetime.date.fromisoformat


def _first_date_read(start):
    # The 7-day averages of the first six days reach back before the range.
    return start - (stats.ROLLING_DAYS - 1) * stats.ONE_DAY
