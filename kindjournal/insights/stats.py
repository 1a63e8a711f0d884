"""The statistics behind Insights: is a person's mood better on (and after) their kind days?

Pure Python + scipy, no Django: `insights/data.py` loads the day series, and the Insights page
and the printable therapist report (exports) both show what `compute()` returns. The numbers
are exactly those defined in issue 4; README.md ("Insights") explains them to people.

Where a statistic is undefined (too few days, every mood the same) it is None, never NaN, so the
result can go straight to JSON and every None can be explained on the page.
"""

import datetime
import math
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import scipy.special

MIN_GROUP_DAYS = 5  # each side of a comparison, and rated days for the correlation
MIN_CATEGORY_DAYS = 3
ROLLING_DAYS = 7
# Precision target for the same-day difference: a 95% interval of about ±0.5 mood points.
HALF_WIDTH = 0.5
Z95 = 1.96

ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Day:
    """One calendar day of one person: mood (None if not rated), acts logged, their categories.

    `categories` holds each category of that day's acts once (stored values, e.g. "meal").
    """

    date: datetime.date
    mood: int | None
    acts: int = 0
    categories: tuple[str, ...] = ()

    @property
    def kind(self):
        """A kind day is a rated day with at least one act."""
        return self.mood is not None and self.acts > 0


def compute(days: Iterable[Day], start: datetime.date, end: datetime.date, labels=None) -> dict:
    """All the Insights numbers for the calendar days start..end (both included).

    `days`: at most one Day per date, in any order; dates without a Day had no mood and no acts.
    Include the six days before `start` so the first 7-day averages can reach back; days before
    that or after `end` are ignored. `labels`: optional {category value: label}, also the order
    of `by_category`.

    Returns a dict (plain data: dates, ints, floats, None) with the keys of the page's JSON:
    `series`, `same_day`, `next_day`, `dose`, `reverse`, `by_category`, `days_for_half_point`,
    plus `counts` (rated_days, kind_days, other_days, acts, pairs, pairs_after_kind,
    pairs_after_other) and `other_days_mean` (mean mood of rated days without acts, the
    by-category baseline). `insights/data.py` adds `range`.
    """
    by_date = {day.date: day for day in days}
    window_start = start - (ROLLING_DAYS - 1) * ONE_DAY
    calendar = _dates(window_start, end)
    # Every calendar day from the first rolling window to `end`: its Day, or None if empty.
    span = [by_date.get(date) for date in calendar]
    in_range = [day for day in span[ROLLING_DAYS - 1 :] if day is not None]
    rated = [day for day in in_range if day.mood is not None]
    kind = [day.mood for day in rated if day.acts]
    other = [day.mood for day in rated if not day.acts]
    # Consecutive calendar days, both rated and both in range.
    pairs = [
        (first, second)
        for first, second in zip(span[ROLLING_DAYS - 1 :], span[ROLLING_DAYS:], strict=False)
        if _rated(first) and _rated(second)
    ]
    after_kind = [second.mood for first, second in pairs if first.acts]
    after_other = [second.mood for first, second in pairs if not first.acts]

    half_point = days_for_half_point([day.mood for day in rated], len(kind), len(other))
    same_day = _comparison(kind, other)
    if same_day is not None:
        same_day["days_for_half_point"] = half_point
    other_mean = _mean(other)
    return {
        "series": _series(calendar, span),
        "same_day": same_day,
        "next_day": _comparison(after_kind, after_other),
        "dose": _dose(rated),
        "reverse": _reverse(rated, pairs),
        "by_category": _by_category(rated, other_mean, labels or {}),
        "days_for_half_point": half_point,
        "counts": {
            "rated_days": len(rated),
            "kind_days": len(kind),
            "other_days": len(other),
            "acts": sum(day.acts for day in in_range),
            "pairs": len(pairs),
            "pairs_after_kind": len(after_kind),
            "pairs_after_other": len(after_other),
        },
        "other_days_mean": other_mean,
    }


def days_for_half_point(moods, kind_days, other_days):
    """More rated days needed for a same-day 95% interval of about ±0.5 mood points.

    With `sd` the sample standard deviation of all rated moods, each group needs
    n = ceil(2·(1.96·sd/0.5)²) days; None while sd is undefined (fewer than two rated days).
    """
    if len(moods) < 2:
        return None
    needed = math.ceil(2 * (Z95 * _stdev(moods) / HALF_WIDTH) ** 2)
    return max(0, needed - kind_days) + max(0, needed - other_days)


def json_ready(value, digits=3):
    """`value` for JSON: floats rounded to `digits` decimals (here only, never while computing)
    and dates as ISO strings."""
    if isinstance(value, float):
        return round(value, digits)
    if isinstance(value, dict):
        return {key: json_ready(item, digits) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(item, digits) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def acts_mood_counts(series):
    """How many rated days had each (acts, mood) pair: the mood-against-acts scatter as a table."""
    counts = Counter((day["acts"], day["mood"]) for day in series if day["mood"] is not None)
    return [
        {"acts": acts, "mood": mood, "days": counts[acts, mood]} for acts, mood in sorted(counts)
    ]


def _dates(start, end):
    dates = []
    while start <= end:
        dates.append(start)
        start += ONE_DAY
    return dates


def _series(calendar, span):
    """One item per calendar day in range, with 7-day rolling averages ending on that day.

    `span` starts six days before the range, so the first windows reach back before it.
    """
    moods = [day.mood if day else None for day in span]
    acts = [day.acts if day else 0 for day in span]
    series = []
    mood_sum = mood_count = act_sum = 0
    for index, (mood, act_count) in enumerate(zip(moods, acts, strict=True)):
        if mood is not None:
            mood_sum += mood
            mood_count += 1
        act_sum += act_count
        if index >= ROLLING_DAYS:  # the day leaving the window
            leaving = moods[index - ROLLING_DAYS]
            if leaving is not None:
                mood_sum -= leaving
                mood_count -= 1
            act_sum -= acts[index - ROLLING_DAYS]
        if index >= ROLLING_DAYS - 1:
            series.append(
                {
                    "date": calendar[index],
                    "mood": mood,
                    "acts": act_count,
                    "mood_avg7": mood_sum / mood_count if mood_count else None,
                    "acts_avg7": act_sum / ROLLING_DAYS,
                }
            )
    return series


def _comparison(kind, other):
    """Welch's t-test of kind-day moods against other-day moods, or None below 5 days a side.

    `ci95` and `p_value` are None when both groups have zero variance (no spread to estimate
    from); `kind_ci95`/`other_ci95` (each mean's own t-interval, drawn on the chart) are None
    for a group whose moods are all the same.
    """
    if len(kind) < MIN_GROUP_DAYS or len(other) < MIN_GROUP_DAYS:
        return None
    kind_mean, other_mean = _mean(kind), _mean(other)
    ci95 = p_value = None
    if _varies(kind) or _varies(other):
        ci95, p_value = _welch(kind, other)
    return {
        "kind_days": len(kind),
        "other_days": len(other),
        "kind_mean": kind_mean,
        "other_mean": other_mean,
        "difference": kind_mean - other_mean,
        "ci95": ci95,
        "p_value": p_value,
        "kind_ci95": _mean_interval(kind),
        "other_ci95": _mean_interval(other),
    }


def _welch(a, b):
    """([low, high], p) of scipy.stats.ttest_ind(a, b, equal_var=False): the same formulas as
    scipy 1.17 (Welch-Satterthwaite df, `stdtr` for p, `stdtrit` for the interval), called on
    scalars. scipy's own function spends ~3 ms a call on array-API and nan-policy checks; the
    tests hold these numbers to scipy's within 1e-9. One group may have zero variance, not both.
    """
    a_term, b_term = _variance(a) / len(a), _variance(b) / len(b)
    df = (a_term + b_term) ** 2 / (a_term**2 / (len(a) - 1) + b_term**2 / (len(b) - 1))
    standard_error = math.sqrt(a_term + b_term)
    difference = _mean(a) - _mean(b)
    p_value = 2 * scipy.special.stdtr(df, -abs(difference / standard_error))
    low = scipy.special.stdtrit(df, 0.025) * standard_error + difference
    high = scipy.special.stdtrit(df, 0.975) * standard_error + difference
    return _pair(low, high), _finite(p_value)


def _mean_interval(moods):
    """The t-interval of one group's mean (scipy.stats.t.interval with the standard error)."""
    if not _varies(moods):
        return None
    n = len(moods)
    # scipy.special.stdtrit is scipy.stats.t.ppf without its ~0.1 ms of argument checking.
    half_width = scipy.special.stdtrit(n - 1, 0.975) * _stdev(moods) / math.sqrt(n)
    return _pair(_mean(moods) - half_width, _mean(moods) + half_width)


def _dose(rated):
    """Spearman correlation of acts and mood over rated days; r and p None if either is constant."""
    if len(rated) < MIN_GROUP_DAYS:
        return None
    acts = [day.acts for day in rated]
    moods = [day.mood for day in rated]
    r = p_value = None
    if _varies(acts) and _varies(moods):
        r, p_value = _spearman(acts, moods)
    return {"spearman_r": r, "p_value": p_value, "n": len(rated)}


def _spearman(xs, ys):
    """(r, p) of scipy.stats.spearmanr(xs, ys) for whole numbers, neither constant.

    Acts and moods take few distinct values, so the average ranks and Pearson's r on them are
    summed over distinct (x, y) pairs in exact integer arithmetic; the p-value is scipy's
    two-sided t-test on r with n - 2 degrees of freedom. scipy's own function spends ~3 ms a
    call on input checks; the tests hold these numbers to scipy's within 1e-9.
    """
    n = len(xs)
    pairs = Counter(zip(xs, ys, strict=True))
    rank_x = _doubled_ranks(Counter(xs))
    rank_y = _doubled_ranks(Counter(ys))
    sum_x = sum_y = sum_xx = sum_yy = sum_xy = 0
    for (x, y), count in pairs.items():
        rx, ry = rank_x[x], rank_y[y]
        sum_x += count * rx
        sum_y += count * ry
        sum_xx += count * rx * rx
        sum_yy += count * ry * ry
        sum_xy += count * rx * ry
    covariance = n * sum_xy - sum_x * sum_y
    spread = (n * sum_xx - sum_x * sum_x) * (n * sum_yy - sum_y * sum_y)
    # Like numpy.corrcoef, keep r inside [-1, 1] against rounding.
    r = max(-1.0, min(1.0, covariance / math.sqrt(spread)))
    if abs(r) == 1:
        return r, 0.0  # scipy: t is infinite, p exactly 0
    t = r * math.sqrt((n - 2) / ((r + 1.0) * (1.0 - r)))
    return r, _finite(2 * scipy.special.stdtr(n - 2, -abs(t)))


def _doubled_ranks(counts):
    """{value: twice its average rank} (ties share the mean of their ranks, as scipy's
    rankdata does); doubled so every rank is a whole number."""
    ranks, below = {}, 0
    for value in sorted(counts):
        # Ranks below + 1 .. below + count; twice their mean is 2 * below + count + 1.
        ranks[value] = 2 * below + counts[value] + 1
        below += counts[value]
    return ranks


def _reverse(rated, pairs):
    """Does mood lead to kindness? Share of kind next days after high- vs low-mood days.

    High means at or above the median mood of all rated days in range; None below 5 pairs a side.
    """
    if not pairs:
        return None
    median = statistics.median(day.mood for day in rated)
    after_high = [second.kind for first, second in pairs if first.mood >= median]
    after_low = [second.kind for first, second in pairs if first.mood < median]
    if len(after_high) < MIN_GROUP_DAYS or len(after_low) < MIN_GROUP_DAYS:
        return None
    return {
        "after_high_mood_kind_share": sum(after_high) / len(after_high),
        "after_low_mood_kind_share": sum(after_low) / len(after_low),
        "pairs": len(pairs),
        "after_high_mood_pairs": len(after_high),
        "after_low_mood_pairs": len(after_low),
        "median_mood": float(median),
    }


def _by_category(rated, other_mean, labels: Mapping[str, str]):
    moods_by_category = {}
    for day in rated:
        for category in day.categories:
            moods_by_category.setdefault(category, []).append(day.mood)
    found = {c for c, moods in moods_by_category.items() if len(moods) >= MIN_CATEGORY_DAYS}
    ordered = [c for c in labels if c in found] + sorted(found - labels.keys())
    rows = []
    for category in ordered:
        mean = _mean(moods_by_category[category])
        rows.append(
            {
                "category": category,
                "label": labels.get(category, category),
                "days": len(moods_by_category[category]),
                "mean_mood": mean,
                "difference": None if other_mean is None else mean - other_mean,
            }
        )
    return rows


def _rated(day):
    return day is not None and day.mood is not None


def _mean(values):
    return statistics.fmean(values) if values else None


def _variance(values):
    """Sample variance of whole numbers (moods), exact until the one final division.

    statistics.variance is exact too but slow on years of days; numpy's is a few ulps off.
    """
    n = len(values)
    total = sum(values)
    return (n * sum(value * value for value in values) - total * total) / (n * (n - 1))


def _stdev(values):
    return math.sqrt(_variance(values))


def _varies(values):
    return len(set(values)) > 1


def _finite(value):
    value = float(value)
    return value if math.isfinite(value) else None


def _pair(low, high):
    low, high = _finite(low), _finite(high)
    return None if low is None or high is None else [low, high]
