"""Load a person's day series for Insights and run the statistics on it (two queries).

Used by the Insights page and by the printable therapist report (exports).
"""

from django.db.models import Count

from kindjournal.insights import stats
from kindjournal.journal.models import ActCategory, DayEntry, KindnessAct
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
    entries = DayEntry.objects.for_user(user).filter(date__lte=end)
    acts = KindnessAct.objects.for_user(user).filter(date__lte=end)
    if start is not None:
        first = _first_date_read(start) if look_back else start
        entries = entries.filter(date__gte=first)
        acts = acts.filter(date__gte=first)
    moods = dict(entries.order_by().values_list("date", "mood"))
    act_counts = {}
    for date, category, count in (
        acts.order_by().values_list("date", "category").annotate(count=Count("pk"))
    ):
        total, categories = act_counts.get(date, (0, ()))
        act_counts[date] = (total + count, (*categories, category))

    dates = moods.keys() | act_counts.keys()
    if start is None:
        start = min(dates, default=end)
    days = [stats.Day(date, moods.get(date), *act_counts.get(date, (0, ()))) for date in dates]
    result = stats.compute(days, start, end, labels=dict(ActCategory.choices))
    return {"range": {"start": start, "end": end, "key": key}, **result}


def _first_date_read(start):
    # The 7-day averages of the first six days reach back before the range.
    return start - (stats.ROLLING_DAYS - 1) * stats.ONE_DAY
