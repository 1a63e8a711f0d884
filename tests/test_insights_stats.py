"""The Insights statistics (kindjournal/insights/stats.py), checked against scipy and by hand."""

import datetime
import itertools
import json
import math
import random
import statistics
import warnings

import pytest
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st

from kindjournal.insights.stats import SERIES_DAYS_MAX, Day, compute, json_ready

START = datetime.date(2026, 3, 1)
CATEGORIES = ["checkin", "gift", "meal", "listening"]


def on(offset):
    return START + datetime.timedelta(days=offset)


def days_of(*specs):
    """Days from (offset from START, mood or None, acts[, categories]) tuples."""
    return [
        Day(on(offset), mood, acts, tuple(rest[0]) if rest else ())
        for offset, mood, acts, *rest in specs
    ]


def welch(kind, other):
    """scipy's Welch test, as the issue defines the numbers."""
    with warnings.catch_warnings():
        # A group of equal whole-number moods makes scipy warn about precision loss; the
        # variance is exactly 0, which is what the oracle should use.
        warnings.filterwarnings("ignore", "Precision loss occurred", RuntimeWarning)
        result = scipy.stats.ttest_ind(kind, other, equal_var=False)
        interval = result.confidence_interval(0.95)
    return result.pvalue, [interval.low, interval.high]


# --- Examples -------------------------------------------------------------------------------


def test_same_day_effect_matches_welchs_textbook_formula_and_scipy():
    kind = [6, 7, 8, 7, 7, 9]
    other = [5, 5, 6, 4, 5]
    days = days_of(
        *[(i, mood, 1) for i, mood in enumerate(kind)],
        *[(10 + i, mood, 0) for i, mood in enumerate(other)],
    )
    same_day = compute(days, START, on(20))["same_day"]

    assert same_day["kind_days"] == 6 and same_day["other_days"] == 5
    assert same_day["kind_mean"] == pytest.approx(44 / 6)
    assert same_day["other_mean"] == pytest.approx(5.0)
    assert same_day["difference"] == pytest.approx(44 / 6 - 5)
    # Welch by hand: standard error and Welch-Satterthwaite degrees of freedom.
    a, b = statistics.variance(kind) / 6, statistics.variance(other) / 5
    df = (a + b) ** 2 / (a**2 / 5 + b**2 / 4)
    half_width = scipy.stats.t.ppf(0.975, df) * math.sqrt(a + b)
    low, high = same_day["ci95"]
    assert low == pytest.approx(44 / 6 - 5 - half_width)
    assert high == pytest.approx(44 / 6 - 5 + half_width)
    p_value, ci95 = welch(kind, other)
    assert same_day["p_value"] == pytest.approx(p_value, rel=1e-9)
    assert same_day["ci95"] == pytest.approx(ci95, rel=1e-9)


def test_each_groups_own_mean_interval_is_the_t_interval():
    kind = [6, 7, 8, 7, 7]
    days = days_of(
        *[(i, mood, 2) for i, mood in enumerate(kind)], *[(9 + i, 5, 0) for i in range(5)]
    )
    same_day = compute(days, START, on(20))["same_day"]
    expected = scipy.stats.t.interval(0.95, 4, loc=7, scale=scipy.stats.sem(kind))
    assert same_day["kind_ci95"] == pytest.approx(list(expected), rel=1e-9)
    assert same_day["other_ci95"] is None  # every other day was a 5: no spread


def test_a_comparison_needs_five_days_on_each_side():
    four_kind = days_of(*[(i, 7, 1) for i in range(4)], *[(10 + i, 5, 0) for i in range(9)])
    result = compute(four_kind, START, on(30))
    assert result["same_day"] is None
    assert result["counts"]["kind_days"] == 4 and result["counts"]["other_days"] == 9
    five_kind = four_kind + days_of((5, 8, 1))
    assert compute(five_kind, START, on(30))["same_day"]["kind_days"] == 5


def test_all_kind_days_and_no_kind_days_give_no_comparison_but_still_count():
    all_kind = days_of(*[(i, 3 + i % 5, 1 + i % 3) for i in range(20)])
    result = compute(all_kind, START, on(19))
    assert result["same_day"] is None and result["next_day"] is None
    assert result["counts"]["kind_days"] == 20 and result["counts"]["other_days"] == 0
    assert result["by_category"] == []
    no_kind = days_of(*[(i, 3 + i % 5, 0) for i in range(20)])
    result = compute(no_kind, START, on(19))
    assert result["same_day"] is None and result["counts"]["kind_days"] == 0
    assert result["dose"] == {"spearman_r": None, "p_value": None, "n": 20}  # acts never vary


def test_constant_mood_gives_nulls_never_nan():
    days = days_of(*[(i, 6, i % 2) for i in range(30)])
    result = compute(days, START, on(29))
    same_day = result["same_day"]
    assert same_day["kind_mean"] == same_day["other_mean"] == 6
    assert same_day["difference"] == 0
    assert same_day["ci95"] is None and same_day["p_value"] is None
    assert result["next_day"]["ci95"] is None and result["next_day"]["p_value"] is None
    assert result["dose"] == {"spearman_r": None, "p_value": None, "n": 30}
    # With no spread at all, no more days are needed for a ±0.5 interval.
    assert result["days_for_half_point"] == 0
    json.dumps(json_ready(result), allow_nan=False)


def test_one_constant_group_still_gets_welchs_interval():
    kind = [7] * 6
    other = [4, 5, 6, 5, 3, 6]
    days = days_of(
        *[(2 * i, m, 1) for i, m in enumerate(kind)],
        *[(2 * i + 1, m, 0) for i, m in enumerate(other)],
    )
    same_day = compute(days, START, on(11))["same_day"]
    p_value, ci95 = welch(kind, other)
    assert same_day["ci95"] == pytest.approx(ci95, rel=1e-9)
    assert same_day["p_value"] == pytest.approx(p_value, rel=1e-9)


def test_one_day_and_no_days():
    one = compute(days_of((0, 7, 2)), START, START)
    assert one["series"] == [
        {"date": START, "mood": 7, "acts": 2, "mood_avg7": 7.0, "acts_avg7": 2 / 7}
    ]
    assert one["same_day"] is None and one["dose"] is None and one["reverse"] is None
    assert one["days_for_half_point"] is None  # no standard deviation from one day
    empty = compute([], START, on(2))
    assert [day["mood"] for day in empty["series"]] == [None, None, None]
    assert empty["counts"] == {
        "rated_days": 0,
        "kind_days": 0,
        "other_days": 0,
        "acts": 0,
        "pairs": 0,
        "pairs_after_kind": 0,
        "pairs_after_other": 0,
    }
    assert empty["other_days_mean"] is None


def test_next_day_pairs_skip_gaps_and_unrated_days_and_stay_inside_the_range():
    days = days_of(
        (0, 5, 1),
        (1, 6, 0),  # pair (0, 1): after a kind day
        (2, None, 3),  # unrated: no pairs (1, 2) or (2, 3)
        (3, 7, 0),
        (4, 8, 0),  # pair (3, 4): after another day
        (6, 4, 1),  # gap on day 5: no pair (4, 6)
        (7, 9, 0),  # pair (6, 7), but day 7 is after the range end
    )
    result = compute(days, START, on(6))
    assert result["counts"]["pairs"] == 2
    assert result["counts"]["pairs_after_kind"] == 1
    assert result["counts"]["pairs_after_other"] == 1


def test_next_day_effect_compares_the_day_after_kind_days_with_the_day_after_others():
    # Kind days on even offsets; every day rated. The day after a kind day is an odd day.
    moods = [5, 8, 4, 7, 6, 9, 5, 8, 4, 9, 6, 7, 5, 8]
    days = days_of(*[(i, mood, 1 if i % 2 == 0 else 0) for i, mood in enumerate(moods)])
    next_day = compute(days, START, on(len(moods) - 1))["next_day"]
    after_kind = [moods[i + 1] for i in range(0, len(moods) - 1, 2)]
    after_other = [moods[i + 1] for i in range(1, len(moods) - 1, 2)]
    assert next_day["kind_days"] == len(after_kind) == 7
    assert next_day["other_days"] == len(after_other) == 6
    assert next_day["kind_mean"] == pytest.approx(statistics.fmean(after_kind))
    p_value, ci95 = welch(after_kind, after_other)
    assert next_day["p_value"] == pytest.approx(p_value, rel=1e-9)
    assert next_day["ci95"] == pytest.approx(ci95, rel=1e-9)


def test_acts_on_unrated_days_count_in_totals_and_averages_but_not_in_mood_comparisons():
    days = days_of((0, None, 3), (1, 6, 0), (2, 7, 1))
    result = compute(days, START, on(2))
    assert result["counts"]["acts"] == 4
    assert result["counts"]["rated_days"] == 2
    assert result["counts"]["kind_days"] == 1 and result["counts"]["other_days"] == 1
    assert [day["acts"] for day in result["series"]] == [3, 0, 1]
    assert result["series"][2]["acts_avg7"] == pytest.approx(4 / 7)
    assert result["series"][2]["mood_avg7"] == pytest.approx(6.5)


def test_rolling_windows_of_the_first_days_reach_back_before_the_range():
    before = days_of((-6, 2, 7), (-3, 4, 0))
    result = compute([*before, *days_of((0, 9, 0))], START, on(1))
    first, second = result["series"]
    assert (first["date"], second["date"]) == (START, on(1))
    assert first["mood_avg7"] == pytest.approx((2 + 4 + 9) / 3)
    assert first["acts_avg7"] == pytest.approx(1.0)
    # One day later, day -6 has left the window; day 1 has no mood of its own.
    assert second["mood"] is None
    assert second["mood_avg7"] == pytest.approx((4 + 9) / 2)
    assert second["acts_avg7"] == 0
    # Days before the range never enter the statistics.
    assert result["counts"] == {**result["counts"], "rated_days": 1, "acts": 0}


def test_a_window_with_no_moods_has_no_average():
    result = compute(days_of((0, 5, 0), (8, None, 1)), START, on(8))
    assert result["series"][6]["mood_avg7"] == pytest.approx(5.0)
    assert result["series"][7]["mood_avg7"] is None
    assert result["series"][8]["mood_avg7"] is None


def test_a_day_after_the_end_is_not_counted():
    # The range ends on the person's today; a day stored for their tomorrow (e.g. logged before
    # they moved time zone west) is outside it.
    days = days_of((0, 4, 0), (1, 9, 5))
    result = compute(days, START, START)
    assert [day["date"] for day in result["series"]] == [START]
    assert result["counts"]["rated_days"] == 1 and result["counts"]["acts"] == 0


def test_dose_is_spearmans_correlation_of_acts_and_mood_over_rated_days():
    specs = [(0, 4, 0), (1, 5, 1), (2, 5, 0), (3, 7, 2), (4, 6, 1), (5, 8, 3), (6, None, 4)]
    result = compute(days_of(*specs), START, on(6))
    expected = scipy.stats.spearmanr([0, 1, 0, 2, 1, 3], [4, 5, 5, 7, 6, 8])
    assert result["dose"]["n"] == 6
    assert result["dose"]["spearman_r"] == pytest.approx(expected.statistic, rel=1e-9)
    assert result["dose"]["p_value"] == pytest.approx(expected.pvalue, rel=1e-9)


def test_ten_years_of_days_match_scipy_to_nine_significant_figures():
    # Large groups with many ties: where rounding differences between formulas would show.
    rng = random.Random(10)
    specs = []
    for offset in range(3650):
        acts = rng.choice([0, 0, 1, 2, 3, 4, 4])
        mood = min(10, max(1, round(rng.gauss(5.5 + 0.4 * bool(acts), 1.6))))
        specs.append((offset, mood if rng.random() < 0.95 else None, acts))
    result = compute(days_of(*specs), START, on(3649))
    rated = [(mood, acts) for _, mood, acts in specs if mood is not None]
    kind = [mood for mood, acts in rated if acts]
    other = [mood for mood, acts in rated if not acts]
    p_value, ci95 = welch(kind, other)
    assert result["same_day"]["ci95"] == pytest.approx(ci95, rel=1e-9)
    assert result["same_day"]["p_value"] == pytest.approx(p_value, rel=1e-9)
    pairs = [(a, b) for a, b in itertools.pairwise(specs) if a[1] is not None and b[1] is not None]
    p_value, ci95 = welch([b[1] for a, b in pairs if a[2]], [b[1] for a, b in pairs if not a[2]])
    assert result["next_day"]["ci95"] == pytest.approx(ci95, rel=1e-9)
    assert result["next_day"]["p_value"] == pytest.approx(p_value, rel=1e-9)
    expected = scipy.stats.spearmanr([acts for _, acts in rated], [mood for mood, _ in rated])
    assert result["dose"]["spearman_r"] == pytest.approx(expected.statistic, rel=1e-9)
    assert result["dose"]["p_value"] == pytest.approx(expected.pvalue, rel=1e-9)


def test_reverse_direction_shares_of_kind_next_days_after_high_and_low_moods():
    # Moods alternate high (8) and low (3): median 5.5. High days are followed by low days
    # and the other way round; whether each next day is kind is chosen below.
    moods = [8, 3] * 8
    acts = [0, 1, 1, 0, 0, 0, 1, 1, 0, 1, 1, 1, 0, 0, 1, 0]
    days = days_of(*[(i, m, a) for i, (m, a) in enumerate(zip(moods, acts, strict=True))])
    reverse = compute(days, START, on(15))["reverse"]
    after_high = [acts[i + 1] > 0 for i in range(15) if moods[i] == 8]
    after_low = [acts[i + 1] > 0 for i in range(15) if moods[i] == 3]
    assert reverse["pairs"] == 15
    assert reverse["after_high_mood_kind_share"] == pytest.approx(sum(after_high) / 8)
    assert reverse["after_low_mood_kind_share"] == pytest.approx(sum(after_low) / 7)
    assert reverse["median_mood"] == 5.5


def test_a_day_with_the_median_mood_counts_as_a_high_mood_day():
    moods = [7, 5, 3, 5] * 5  # median 5
    days = days_of(*[(i, m, i % 3 == 0) for i, m in enumerate(moods)])
    reverse = compute(days, START, on(19))["reverse"]
    assert reverse["median_mood"] == 5
    # 19 pairs: the first days on offsets 0 to 18, five of them a 3.
    assert reverse["after_high_mood_pairs"] == 14
    assert reverse["after_low_mood_pairs"] == 5


def test_reverse_needs_five_pairs_on_each_side_of_the_median():
    # Constant mood: every first day is at or above the median, none below.
    days = days_of(*[(i, 6, i % 2) for i in range(20)])
    assert compute(days, START, on(19))["reverse"] is None


def test_by_category_needs_three_rated_days_and_compares_with_days_without_acts():
    days = days_of(
        (0, 8, 2, ["meal", "checkin"]),
        (1, 7, 1, ["meal"]),
        (2, 9, 1, ["meal"]),
        (3, 6, 1, ["checkin"]),
        (4, None, 1, ["checkin"]),  # unrated: does not count for checkin's three days
        (5, 4, 0),
        (6, 6, 0),
    )
    labels = {"checkin": "Check-in", "gift": "Gift", "meal": "Meal"}
    result = compute(days, START, on(6), labels=labels)
    assert result["other_days_mean"] == 5
    assert result["by_category"] == [
        {"category": "meal", "label": "Meal", "days": 3, "mean_mood": 8.0, "difference": 3.0}
    ]


def test_by_category_follows_the_label_order_and_has_no_difference_without_other_days():
    days = days_of(*[(i, 5 + i % 3, 1, ["gift", "meal"]) for i in range(4)])
    result = compute(days, START, on(3), labels={"meal": "Meal", "gift": "Gift"})
    assert [row["label"] for row in result["by_category"]] == ["Meal", "Gift"]
    assert all(row["difference"] is None for row in result["by_category"])


def test_days_for_half_point_follows_the_issues_formula():
    moods = [3, 9, 4, 8, 5, 7, 2, 10, 6, 6]
    days = days_of(*[(i, mood, i % 3 == 0) for i, mood in enumerate(moods)])
    result = compute(days, START, on(9))
    n = math.ceil(2 * (1.96 * statistics.stdev(moods) / 0.5) ** 2)
    kind, other = result["counts"]["kind_days"], result["counts"]["other_days"]
    assert result["days_for_half_point"] == (n - kind) + (n - other)
    assert result["same_day"] is None  # 4 kind days: the top-level figure is still there


def test_json_ready_rounds_floats_to_three_decimals_and_writes_dates_in_iso():
    result = compute(days_of((0, 7, 1), (1, 8, 0), (2, 6, 2)), START, on(2))
    ready = json_ready(result)
    assert ready["series"][2] == {
        "date": "2026-03-03",
        "mood": 6,
        "acts": 2,
        "mood_avg7": 7.0,
        "acts_avg7": 0.429,
    }
    assert result["series"][2]["acts_avg7"] == 3 / 7  # the result itself is not rounded
    assert json_ready({"ci95": [1 / 3, 2 / 3]}) == {"ci95": [0.333, 0.667]}


def test_acts_mood_days_tabulate_the_scatter_over_rated_days_in_range():
    days = days_of((-1, 9, 1), (0, 7, 1), (1, 7, 1), (2, 5, 0), (3, None, 2))
    assert compute(days, START, on(3))["acts_mood_days"] == [
        {"acts": 0, "mood": 5, "days": 1},
        {"acts": 1, "mood": 7, "days": 2},
    ]


def test_up_to_400_days_the_series_has_one_item_per_day():
    end = START + datetime.timedelta(days=SERIES_DAYS_MAX - 1)
    result = compute(days_of((0, 6, 1)), START, end)
    assert result["series_unit"] == "day"
    assert len(result["series"]) == SERIES_DAYS_MAX
    assert set(result["series"][0]) == {"date", "mood", "acts", "mood_avg7", "acts_avg7"}


def test_longer_ranges_have_one_item_per_calendar_month_with_its_mean_mood():
    start = datetime.date(2025, 1, 15)
    end = start + datetime.timedelta(days=SERIES_DAYS_MAX)  # 401 days: to 19 Feb 2026
    days = [
        Day(datetime.date(2025, 1, 10), 1, 5),  # before the range: not counted
        Day(datetime.date(2025, 1, 15), 4, 1),
        Day(datetime.date(2025, 1, 31), 7, 2, ("meal",)),
        Day(datetime.date(2025, 3, 3), None, 3),  # acts without a mood
        Day(datetime.date(2026, 2, 19), 8, 0),
        Day(datetime.date(2026, 2, 20), 2, 4),  # after the end: not counted
    ]
    result = compute(days, start, end)
    assert result["series_unit"] == "month"
    series = result["series"]
    assert [item["month"] for item in series][:3] == ["2025-01", "2025-02", "2025-03"]
    assert len(series) == 14 and series[-1]["month"] == "2026-02"
    assert series[0] == {"month": "2025-01", "mood_mean": 5.5, "rated_days": 2, "acts": 3}
    assert series[1] == {"month": "2025-02", "mood_mean": None, "rated_days": 0, "acts": 0}
    assert series[2] == {"month": "2025-03", "mood_mean": None, "rated_days": 0, "acts": 3}
    assert series[-1] == {"month": "2026-02", "mood_mean": 8.0, "rated_days": 1, "acts": 0}
    assert result["counts"]["rated_days"] == 3 and result["counts"]["acts"] == 6


# --- Properties on random data ---------------------------------------------------------------


@st.composite
def journals(draw):
    """(days, start, end): random days in and around a range of 1 to 60 days.

    Each journal has its own share of logged days, rated days and kind days, from sparse to
    full, so comparisons are sometimes possible and sometimes not.
    """
    length = draw(st.integers(1, 60))
    start = draw(st.dates(datetime.date(2001, 1, 1), datetime.date(2035, 1, 1)))
    end = start + datetime.timedelta(days=length - 1)
    logged, rated, kind = (draw(st.sampled_from([0.0, 0.3, 0.7, 0.9, 1.0])) for _ in range(3))
    mood_range = draw(st.sampled_from([(6, 6), (5, 6), (1, 10)]))
    days = []
    for offset in range(-9, length + 3):
        if draw(st.floats(0, 1, exclude_max=True)) >= logged:
            continue
        mood = draw(st.integers(*mood_range)) if draw(st.floats(0, 1)) < rated else None
        acts = draw(st.integers(1, 4)) if draw(st.floats(0, 1)) < kind else 0
        categories = draw(
            st.sets(st.sampled_from(CATEGORIES), min_size=min(acts, 1), max_size=acts)
        )
        days.append(Day(start + datetime.timedelta(days=offset), mood, acts, tuple(categories)))
    return days, start, end


def dates_between(start, end):
    return [start + datetime.timedelta(days=i) for i in range((end - start).days + 1)]


def check_comparison(comparison, kind, other):
    if len(kind) < 5 or len(other) < 5:
        assert comparison is None
        return
    assert comparison["kind_days"] == len(kind)
    assert comparison["other_days"] == len(other)
    assert comparison["kind_mean"] == pytest.approx(statistics.fmean(kind))
    assert comparison["other_mean"] == pytest.approx(statistics.fmean(other))
    assert comparison["difference"] == pytest.approx(
        statistics.fmean(kind) - statistics.fmean(other)
    )
    if len(set(kind)) == 1 and len(set(other)) == 1:
        assert comparison["ci95"] is None and comparison["p_value"] is None
    else:
        p_value, ci95 = welch(kind, other)
        assert comparison["p_value"] == pytest.approx(p_value, rel=1e-9, abs=1e-12)
        assert comparison["ci95"] == pytest.approx(ci95, rel=1e-9)


@settings(max_examples=150, deadline=None)
@given(journals())
def test_every_number_matches_the_definitions_and_scipy_on_random_journals(journal):
    days, start, end = journal
    result = compute(days, start, end)
    json.dumps(json_ready(result), allow_nan=False)  # no NaN or infinity anywhere

    moods = {day.date: day.mood for day in days}
    acts = {day.date: day.acts for day in days}
    in_range = dates_between(start, end)

    # Series and rolling averages, straight from the definition.
    assert [day["date"] for day in result["series"]] == in_range
    for item in result["series"]:
        window = dates_between(item["date"] - datetime.timedelta(days=6), item["date"])
        window_moods = [moods[d] for d in window if moods.get(d) is not None]
        assert item["mood"] == moods.get(item["date"])
        assert item["acts"] == acts.get(item["date"], 0)
        expected_avg = statistics.fmean(window_moods) if window_moods else None
        assert item["mood_avg7"] == pytest.approx(expected_avg)
        assert item["acts_avg7"] == pytest.approx(sum(acts.get(d, 0) for d in window) / 7)

    rated = [d for d in in_range if moods.get(d) is not None]
    kind = [moods[d] for d in rated if acts[d] > 0]
    other = [moods[d] for d in rated if acts[d] == 0]
    pairs = [d for d in rated if d < end and moods.get(d + datetime.timedelta(days=1)) is not None]
    after_kind = [moods[d + datetime.timedelta(days=1)] for d in pairs if acts[d] > 0]
    after_other = [moods[d + datetime.timedelta(days=1)] for d in pairs if acts[d] == 0]
    assert result["counts"] == {
        "rated_days": len(rated),
        "kind_days": len(kind),
        "other_days": len(other),
        "acts": sum(acts.get(d, 0) for d in in_range),
        "pairs": len(pairs),
        "pairs_after_kind": len(after_kind),
        "pairs_after_other": len(after_other),
    }
    check_comparison(result["same_day"], kind, other)
    check_comparison(result["next_day"], after_kind, after_other)

    dose = result["dose"]
    if len(rated) < 5:
        assert dose is None
    elif len({acts[d] for d in rated}) == 1 or len({moods[d] for d in rated}) == 1:
        assert dose == {"spearman_r": None, "p_value": None, "n": len(rated)}
    else:
        expected = scipy.stats.spearmanr([acts[d] for d in rated], [moods[d] for d in rated])
        assert dose["n"] == len(rated)
        assert dose["spearman_r"] == pytest.approx(expected.statistic, rel=1e-9, abs=1e-12)
        # abs alone: p within 1e-12 of scipy's, whatever its size. Where the ranks agree
        # perfectly, scipy's floating-point r is 0.9999999999999999 and its p about 1e-24; the
        # exact r is 1 and p 0.
        assert dose["p_value"] == pytest.approx(expected.pvalue, abs=1e-12)

    if len(rated) < 2:
        assert result["days_for_half_point"] is None
    else:
        n = math.ceil(2 * (1.96 * statistics.stdev(moods[d] for d in rated) / 0.5) ** 2)
        expected = max(0, n - len(kind)) + max(0, n - len(other))
        assert result["days_for_half_point"] == expected
        if result["same_day"] is not None:
            assert result["same_day"]["days_for_half_point"] == expected


@settings(max_examples=100, deadline=None)
@given(journals())
def test_reverse_and_categories_match_their_definitions_on_random_journals(journal):
    days, start, end = journal
    result = compute(days, start, end)
    by_date = {day.date: day for day in days}
    rated = [
        by_date[d]
        for d in dates_between(start, end)
        if d in by_date and by_date[d].mood is not None
    ]

    other = [day.mood for day in rated if day.acts == 0]
    expected_rows = []
    for category in sorted(CATEGORIES):
        moods = [day.mood for day in rated if category in day.categories]
        if len(moods) >= 3:
            expected_rows.append(
                {
                    "category": category,
                    "label": category,
                    "days": len(moods),
                    "mean_mood": pytest.approx(statistics.fmean(moods)),
                    "difference": pytest.approx(statistics.fmean(moods) - statistics.fmean(other))
                    if other
                    else None,
                }
            )
    assert result["by_category"] == expected_rows

    pairs = [
        (day, by_date[day.date + datetime.timedelta(days=1)])
        for day in rated
        if day.date < end
        and day.date + datetime.timedelta(days=1) in by_date
        and by_date[day.date + datetime.timedelta(days=1)].mood is not None
    ]
    reverse = result["reverse"]
    if not pairs:
        assert reverse is None
        return
    median = statistics.median(day.mood for day in rated)
    after_high = [second.acts > 0 for first, second in pairs if first.mood >= median]
    after_low = [second.acts > 0 for first, second in pairs if first.mood < median]
    if len(after_high) < 5 or len(after_low) < 5:
        assert reverse is None
    else:
        assert reverse["pairs"] == len(pairs)
        assert reverse["after_high_mood_kind_share"] == pytest.approx(
            sum(after_high) / len(after_high)
        )
        assert reverse["after_low_mood_kind_share"] == pytest.approx(
            sum(after_low) / len(after_low)
        )
