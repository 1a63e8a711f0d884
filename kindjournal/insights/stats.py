"""The statistics behind Insights: is a person's mood better on (and after) their kind days?

Pure Python + scipy, no Django: `insights/data.py` loads the days, and the Insights page and the
printable therapist report (exports) both show what `compute()` returns. README.md ("Insights")
explains the numbers to people.

Every statistic comes from small tables folded from the days in one pass, never from lists of
days: Welch's test needs only the count, sum and sum of squares of each group (`Moods`), and
Spearman's correlation (with ties) and the median come exactly from how many days had each
(acts, mood) pair. So the cost grows with the days only in that one pass.

Where a statistic is undefined (too few days, every mood the same) it is None, never NaN, so the
result can go straight to JSON and every None can be explained on the page.
"""

import datetime
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import NamedTuple

import scipy.special

MIN_GROUP_DAYS = 5  # each side of a comparison, and rated days for the correlation
MIN_CATEGORY_DAYS = 3
ROLLING_DAYS = 7
# Up to this many days the trend has one point per day; longer periods one per month.
SERIES_DAYS_MAX = 400
# Precision target for the same-day difference: a 95% interval of about ±0.5 mood points.
HALF_WIDTH = 0.5
Z95 = 1.96

ONE_DAY = datetime.timedelta(days=1)
_NO_DAY = (None, 0, ())  # a date without a mood or acts


class Day(NamedTuple):
    """One calendar day of one person: mood (None if not rated), acts logged, their categories.

    `categories` holds each category of that day's acts once (stored values, e.g. "meal").
    """

    date: datetime.date
    mood: int | None
    acts: int = 0
    categories: tuple[str, ...] = ()


class Moods(Counter):
    """How many days had each mood: a group of days, as its statistics need it."""

    @property
    def n(self):
        return self.total()

    @property
    def mean(self):
        n = self.n
        return sum(mood * days for mood, days in self.items()) / n if n else None

    @property
    def varies(self):
        return sum(1 for days in self.values() if days) > 1

    def variance(self):
        """Sample variance, exact in integers until the one final division."""
        n = self.n
        total = sum(mood * days for mood, days in self.items())
        squares = sum(mood * mood * days for mood, days in self.items())
        return (n * squares - total * total) / (n * (n - 1))

    def stdev(self):
        return math.sqrt(self.variance())

    def median(self):
        """statistics.median of the moods: the middle one, or the mean of the middle two."""
        n = self.n
        below, middle = 0, []
        for mood in sorted(self):
            below += self[mood]
            while len(middle) < 2 and below > (n - 1) // 2 + len(middle):
                middle.append(mood)
        return middle[0] if n % 2 else (middle[0] + middle[1]) / 2


def compute(days: Iterable[Day], start: datetime.date, end: datetime.date, labels=None) -> dict:
    """All the Insights numbers for the calendar days start..end (both included).

    `days`: at most one Day (or plain (date, mood, acts, categories) tuple) per date, in any
    order; dates without one had no mood and no acts.
    Include the six days before `start` so the first 7-day averages can reach back; days before
    that or after `end` are ignored. `labels`: optional {category value: label}, also the order
    of `by_category`.

    Returns a dict (plain data: dates, ints, floats, None) with the keys of the page's JSON:
    `series_unit` ("day" up to SERIES_DAYS_MAX days, else "month"), `series`, `same_day`,
    `next_day`, `dose`, `reverse`, `by_category`, `days_for_half_point`, `acts_mood_days` (how
    many rated days had each (acts, mood) pair: the scatter as a table), plus `counts`
    (rated_days, kind_days, other_days, acts, pairs, pairs_after_kind, pairs_after_other) and
    `other_days_mean` (mean mood of rated days without acts, the by-category baseline).
    `insights/data.py` adds `range`.
    """
    by_date = {date: (mood, acts, categories) for date, mood, acts, categories in days}
    in_range = [(date, *day) for date, day in by_date.items() if start <= date <= end]
    # (acts, mood, categories) -> days: one counting pass (in C) for the tables below
    kinds_of_day = Counter((acts, mood, categories) for _, mood, acts, categories in in_range)
    # (first day's mood, first day kind?, second day's mood, second day kind?) -> pairs of
    # consecutive rated days
    pairs = Counter(
        (mood, acts > 0, following[0], following[1] > 0)
        for date, mood, acts, _ in in_range
        if mood is not None
        and date < end
        and (following := by_date.get(date + ONE_DAY, _NO_DAY))[0] is not None
    )

    total_acts = 0
    acts_mood = Counter()  # (acts, mood) -> rated days
    category_moods = Counter()  # (category, mood) -> rated days with an act of that category
    for (acts, mood, categories), days_count in kinds_of_day.items():
        total_acts += acts * days_count
        if mood is None:
            continue
        acts_mood[acts, mood] += days_count
        for category in categories:
            category_moods[category, mood] += days_count
    by_category = {}  # category -> Moods of the rated days with an act of it
    for (category, mood), days_count in category_moods.items():
        by_category.setdefault(category, Moods())[mood] = days_count
    kind, other = Moods(), Moods()
    for (acts, mood), count in acts_mood.items():
        (kind if acts else other)[mood] += count
    after_kind, after_other = Moods(), Moods()
    pair_moods = Counter()  # (first day's mood, second day kind?) -> pairs
    for (mood, kind_first, next_mood, kind_next), count in pairs.items():
        (after_kind if kind_first else after_other)[next_mood] += count
        pair_moods[mood, kind_next] += count

    rated = Moods(kind)
    rated.update(other)
    half_point = days_for_half_point(rated, kind.n, other.n)
    same_day = _comparison(kind, other)
    if same_day is not None:
        same_day["days_for_half_point"] = half_point
    daily = (end - start).days + 1 <= SERIES_DAYS_MAX
    return {
        "series_unit": "day" if daily else "month",
        "series": _daily_series(by_date, start, end)
        if daily
        else _monthly_series(in_range, start, end),
        "same_day": same_day,
        "next_day": _comparison(after_kind, after_other),
        "dose": _dose(acts_mood),
        "reverse": _reverse(rated, pair_moods),
        "by_category": _by_category(by_category, other.mean, labels or {}),
        "days_for_half_point": half_point,
        "acts_mood_days": [
            {"acts": acts, "mood": mood, "days": acts_mood[acts, mood]}
            for acts, mood in sorted(acts_mood)
        ],
        "counts": {
            "rated_days": rated.n,
            "kind_days": kind.n,
            "other_days": other.n,
            "acts": total_acts,
            "pairs": pair_moods.total(),
            "pairs_after_kind": after_kind.n,
            "pairs_after_other": after_other.n,
        },
        "other_days_mean": other.mean,
    }


def days_for_half_point(moods: Moods, kind_days, other_days):
    """More rated days needed for a same-day 95% interval of about ±0.5 mood points.

    With `sd` the sample standard deviation of all rated moods, each group needs
    n = ceil(2·(1.96·sd/0.5)²) days; None while sd is undefined (fewer than two rated days).
    """
    if moods.n < 2:
        return None
    needed = math.ceil(2 * (Z95 * moods.stdev() / HALF_WIDTH) ** 2)
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


def _daily_series(by_date, start, end):
    """One item per calendar day in range, with 7-day rolling averages ending on that day.

    The windows of the first six days reach back before the range.
    """
    series = []
    window = []  # (mood, acts) of the last ROLLING_DAYS calendar days
    mood_sum = mood_count = act_sum = 0
    date = start - (ROLLING_DAYS - 1) * ONE_DAY
    while date <= end:
        mood, acts, _ = by_date.get(date, _NO_DAY)
        window.append((mood, acts))
        if mood is not None:
            mood_sum += mood
            mood_count += 1
        act_sum += acts
        if len(window) > ROLLING_DAYS:
            leaving_mood, leaving_acts = window.pop(0)
            if leaving_mood is not None:
                mood_sum -= leaving_mood
                mood_count -= 1
            act_sum -= leaving_acts
        if date >= start:
            series.append(
                {
                    "date": date,
                    "mood": mood,
                    "acts": acts,
                    "mood_avg7": mood_sum / mood_count if mood_count else None,
                    "acts_avg7": act_sum / ROLLING_DAYS,
                }
            )
        date += ONE_DAY
    return series


def _monthly_series(in_range, start, end):
    """One item per calendar month from start's to end's: the mean of its rated days' moods
    (None without any), how many there were, and its acts. `in_range`: the (date, mood, acts,
    categories) days start..end."""
    months = {}  # (year, month) -> [mood sum, rated days, acts]
    for date, mood, acts, _ in in_range:
        month = months.get((date.year, date.month))
        if month is None:
            month = months[date.year, date.month] = [0, 0, 0]
        if mood is not None:
            month[0] += mood
            month[1] += 1
        month[2] += acts
    series = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        mood_sum, rated_days, acts = months.get((year, month), (0, 0, 0))
        series.append(
            {
                "month": f"{year:04d}-{month:02d}",
                "mood_mean": mood_sum / rated_days if rated_days else None,
                "rated_days": rated_days,
                "acts": acts,
            }
        )
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return series


def _comparison(kind: Moods, other: Moods):
    """Welch's t-test of kind-day moods against other-day moods, or None below 5 days a side.

    `ci95` and `p_value` are None when both groups have zero variance (no spread to estimate
    from); `kind_ci95`/`other_ci95` (each mean's own t-interval, drawn on the chart) are None
    for a group whose moods are all the same.
    """
    if kind.n < MIN_GROUP_DAYS or other.n < MIN_GROUP_DAYS:
        return None
    ci95 = p_value = None
    if kind.varies or other.varies:
        ci95, p_value = _welch(kind, other)
    return {
        "kind_days": kind.n,
        "other_days": other.n,
        "kind_mean": kind.mean,
        "other_mean": other.mean,
        "difference": kind.mean - other.mean,
        "ci95": ci95,
        "p_value": p_value,
        "kind_ci95": _mean_interval(kind),
        "other_ci95": _mean_interval(other),
    }


def _welch(a: Moods, b: Moods):
    """([low, high], p) of scipy.stats.ttest_ind(a, b, equal_var=False): the same formulas as
    scipy 1.17 (Welch-Satterthwaite df, `stdtr` for p, `stdtrit` for the interval), called on
    scalars. scipy's own function spends ~3 ms a call on array-API and nan-policy checks; the
    tests hold these numbers to scipy's within 1e-9. One group may have zero variance, not both.
    """
    a_term, b_term = a.variance() / a.n, b.variance() / b.n
    df = (a_term + b_term) ** 2 / (a_term**2 / (a.n - 1) + b_term**2 / (b.n - 1))
    standard_error = math.sqrt(a_term + b_term)
    difference = a.mean - b.mean
    p_value = 2 * scipy.special.stdtr(df, -abs(difference / standard_error))
    low = scipy.special.stdtrit(df, 0.025) * standard_error + difference
    high = scipy.special.stdtrit(df, 0.975) * standard_error + difference
    return _pair(low, high), _finite(p_value)


def _mean_interval(moods: Moods):
    """The t-interval of one group's mean (scipy.stats.t.interval with the standard error)."""
    if not moods.varies:
        return None
    # scipy.special.stdtrit is scipy.stats.t.ppf without its ~0.1 ms of argument checking.
    half_width = scipy.special.stdtrit(moods.n - 1, 0.975) * moods.stdev() / math.sqrt(moods.n)
    return _pair(moods.mean - half_width, moods.mean + half_width)


def _dose(acts_mood):
    """Spearman correlation of acts and mood over rated days; r and p None if either is constant.

    `acts_mood`: {(acts, mood): rated days}.
    """
    n = acts_mood.total()
    if n < MIN_GROUP_DAYS:
        return None
    r = p_value = None
    if len({acts for acts, _ in acts_mood}) > 1 and len({mood for _, mood in acts_mood}) > 1:
        r, p_value = _spearman(acts_mood)
    return {"spearman_r": r, "p_value": p_value, "n": n}


def _spearman(pairs):
    """(r, p) of scipy.stats.spearmanr(xs, ys) from {(x, y): count} for whole numbers, neither
    constant.

    The average ranks and Pearson's r on them are summed over the distinct (x, y) pairs in
    exact integer arithmetic; the p-value is scipy's two-sided t-test on r with n - 2 degrees of
    freedom. scipy's own function spends ~3 ms a call on input checks; the tests hold these
    numbers to scipy's within 1e-9.
    """
    n = pairs.total()
    x_counts, y_counts = Counter(), Counter()
    for (x, y), count in pairs.items():
        x_counts[x] += count
        y_counts[y] += count
    rank_x, rank_y = _doubled_ranks(x_counts), _doubled_ranks(y_counts)
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


def _reverse(rated: Moods, pair_moods):
    """Does mood lead to kindness? Share of kind next days after high- vs low-mood days.

    High means at or above the median mood of all rated days in range; None below 5 pairs a side.
    `pair_moods`: {(first day's mood, second day kind?): pairs}.
    """
    if not pair_moods:
        return None
    median = rated.median()
    high, low = Counter(), Counter()  # second day kind? -> pairs
    for (first_mood, second_kind), count in pair_moods.items():
        (high if first_mood >= median else low)[second_kind] += count
    if high.total() < MIN_GROUP_DAYS or low.total() < MIN_GROUP_DAYS:
        return None
    return {
        "after_high_mood_kind_share": high[True] / high.total(),
        "after_low_mood_kind_share": low[True] / low.total(),
        "pairs": pair_moods.total(),
        "after_high_mood_pairs": high.total(),
        "after_low_mood_pairs": low.total(),
        "median_mood": float(median),
    }


def _by_category(category_moods, other_mean, labels: Mapping[str, str]):
    found = {c for c, moods in category_moods.items() if moods.n >= MIN_CATEGORY_DAYS}
    ordered = [c for c in labels if c in found] + sorted(found - labels.keys())
    rows = []
    for category in ordered:
        moods = category_moods[category]
        rows.append(
            {
                "category": category,
                "label": labels.get(category, category),
                "days": moods.n,
                "mean_mood": moods.mean,
                "difference": None if other_mean is None else moods.mean - other_mean,
            }
        )
    return rows


def _finite(value):
    value = float(value)
    return value if math.isfinite(value) else None


def _pair(low, high):
    low, high = _finite(low), _finite(high)
    return None if low is None or high is None else [low, high]
