"""The printable report's figures, from a list of `ExportDay`s. No Django imports."""

import statistics
from collections import Counter

from kindjournal.insights.stats import json_ready


def summarise(days, start, end):
    """Counts and mood statistics over [start, end] for the report's summary.

    Days logged have a mood or an act; days missed have neither. The spread is the sample
    standard deviation of the daily moods (None with fewer than two rated days).
    """
    moods = [day.mood for day in days if day.mood is not None]
    by_category = Counter(label for day in days for label, _ in day.acts)
    period_days = (end - start).days + 1
    return {
        "period_days": period_days,
        "days_logged": len(days),
        "days_rated": len(moods),
        "days_missed": period_days - len(days),
        "days_rated_later": sum(
            1 for day in days if day.recorded_on is not None and day.recorded_on > day.date
        ),
        "mood_low": min(moods, default=None),
        "mood_mean": statistics.fmean(moods) if moods else None,
        "mood_high": max(moods, default=None),
        "mood_sd": statistics.stdev(moods) if len(moods) > 1 else None,
        "acts_total": sum(by_category.values()),
        # Most frequent first; ties keep the order in which the categories first appear.
        "acts_by_category": by_category.most_common(),
    }


def chart_data(insights):
    """The trend chart's data for static/js/report.js (and charts.js): the `series` of
    `insights_for()` for the report's period, by day or by month as on Insights."""
    return {
        "series_unit": insights["series_unit"],
        "series": json_ready(insights["series"]),
        "rated_days": insights["counts"]["rated_days"],
    }
