from html import escape

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from kindjournal.insights import stats
from kindjournal.insights.data import (
    RANGE_LABELS,
    insights_for,
    resolve_range,
)
from kindjournal.insights.summary import (
    days_still_needed,
    pairs_still_needed,
    summary_sentences,
)

WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
COMPARE_ROWS = [
    ("Kind days", "kind_days"),
    ("Their average mood", "kind_mean"),
    ("95% interval of that average", "kind_ci95"),
    ("Other days", "other_days"),
    ("Their average mood", "other_mean"),
    ("95% interval of that average", "other_ci95"),
    ("Difference (kind minus other)", "difference"),
    ("95% interval of the difference (Welch)", "ci95"),
    ("p-value", "p_value"),
]


@login_required
@require_safe
def insights(request):
    start, end, key = resolve_range(request.GET.get("range"), request.profile.today())
    result = insights_for(request.user, start, end, key)
    counts = result["counts"]
    data = stats.json_ready(result)
    context = {
        "result": result,
        "counts": counts,
        "data": data,
        "summary": summary_sentences(result),
        "ranges": RANGE_LABELS.items(),
        "series_rows": _series_rows(result["series_unit"], result["series"]),
        "acts_mood_rows": _acts_mood_rows(data["acts_mood_days"]),
        "compare_table": _compare_table(data["same_day"], data["next_day"]),
        "same_day_needs": days_still_needed(counts),
        "next_day_needs": pairs_still_needed(counts),
        "rated_days_needed": max(0, stats.MIN_GROUP_DAYS - counts["rated_days"]),
        "min_group_days": stats.MIN_GROUP_DAYS,
        "min_category_days": stats.MIN_CATEGORY_DAYS,
    }
    return render(request, "insights/insights.html", context)


def _compare_table(same_day, next_day):
    """(label, same-day cell, next-day cell) rows: the comparison chart's numbers as text."""

    def cell(comparison, key):
        if comparison is None:
            return "not enough days yet"
        value = comparison[key]
        if value is None:
            return "n/a"
        if isinstance(value, list):
            return f"{value[0]} to {value[1]}"
        if key == "p_value" and value < 0.001:
            return "< 0.001"
        return value

    return [(label, cell(same_day, key), cell(next_day, key)) for label, key in COMPARE_ROWS]


def _series_rows(unit, series):
    """The trend table's rows, as HTML: one per day (up to 400) or per month."""
    if unit == "month":
        rows = (
            (
                _table_month(item["month"]),
                _cell(item["mood_mean"]),
                item["rated_days"],
                item["acts"],
            )
            for item in series
        )
    else:
        rows = (
            (
                _table_date(day["date"]),
                _cell(day["mood"]),
                _cell(day["mood_avg7"]),
                day["acts"],
                _cell(day["acts_avg7"]),
            )
            for day in series
        )
    return _table_rows(rows, row_header=True)


def _acts_mood_rows(acts_mood_days):
    """The acts-and-mood table's rows, as HTML: one per (acts, mood) pair that occurred."""
    return _table_rows((row["acts"], row["mood"], row["days"]) for row in acts_mood_days)


def _table_rows(rows, row_header=False):
    """<tr> rows of cells (numbers or text), the first a row header if `row_header`.

    Built here because the template engine takes many times as long for hundreds of cells;
    every cell is escaped (html.escape) before the string is marked safe.
    """
    head, tail = (
        ('<th scope="row" class="fw-normal">', "</th>") if row_header else ("<td>", "</td>")
    )
    html = "\n".join(
        f"<tr>{head}{escape(str(first))}{tail}"
        + "".join(f"<td>{escape(str(cell))}</td>" for cell in rest)
        + "</tr>"
        for first, *rest in rows
    )
    # Safe: every cell went through html.escape above.
    return mark_safe(html)  # noqa: S308  # nosec B308 B703


def _table_date(date):
    """A date as "Sun 3 May 2026", like the template filter date:"D j M Y"."""
    return f"{WEEKDAYS[date.weekday()]} {date.day} {MONTHS[date.month - 1]} {date.year}"


def _table_month(month):
    """ "2026-05" as "May 2026"."""
    year, number = month.split("-")
    return f"{MONTHS[int(number) - 1]} {year}"


def _cell(number):
    """A table cell's number as on the chart (3 decimals), or a dash for no value."""
    if number is None:
        return "–"
    return round(number, 3) if isinstance(number, float) else number
