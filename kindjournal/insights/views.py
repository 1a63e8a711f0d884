from django.contrib.auth.decorators import login_required
from django.core.cache import caches
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.html import format_html_join, json_script

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
# Where insights/insights.html takes the page's own part (see insights()).
CONTENT_SLOT = b"<!-- insights content -->"
DATA_SLOT = b"<!-- insights data -->"
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
def insights(request):
    start, end, key = resolve_range(request.GET.get("range"), request.profile.today())
    content, data_script = _cached_page(request.user, request.profile, start, end, key)
    response = render(request, "insights/insights.html")
    # The page's own part is up to a megabyte (ten years of days): spliced in as the UTF-8
    # bytes rendered once, instead of going through the template engine and the encoder on
    # every visit. Nothing escaped can contain "<!--" (json_script escapes "<" too), but a
    # template edit could: each slot must be there exactly once.
    response.content = _splice(
        _splice(response.content, DATA_SLOT, data_script), CONTENT_SLOT, content
    )
    return response


def _splice(page, slot, part):
    found = page.count(slot)
    if found != 1:
        raise ValueError(f"{slot!r} is in the Insights page {found} times, not once.")
    return page.replace(slot, part)


def _cached_page(user, profile, start, end, key):
    """_render_page()'s result, from the cache while the person's journal revision is the one
    it was built at: no query on a hit, _render_page's two on a miss.

    One entry per person, period (`end` is their today) and time zone (for any date-time the
    page may show one day), holding the revision with the page, so a newer page replaces an
    older one instead of piling up beside it. `profile` is the one the middleware read at
    the start of this request: every write bumps the revision in its own transaction
    (Profile.objects.bump_journal_revision), so the page built next reads at least the data
    of that revision. A page stored under a revision older than the data it shows is
    harmless: revisions only go up, so no later request asks for that revision again.
    """
    revision = profile.journal_revision
    cache_key = f"insights:{user.pk}:{key}:{start}:{end}:{profile.time_zone}"
    cache = caches["insights"]
    cached = cache.get(cache_key)
    if cached is not None and cached[0] == revision:
        return cached[1]
    page = _render_page(user, start, end, key)
    cache.set(cache_key, (revision, page))
    return page


def _render_page(user, start, end, key):
    """(content HTML, insights-data script HTML): what the page shows of the person's data."""
    result = insights_for(user, start, end, key)
    counts = result["counts"]
    data = stats.json_ready(result)
    context = {
        "result": result,
        "counts": counts,
        "data": data,
        "summary": summary_sentences(result),
        "ranges": RANGE_LABELS.items(),
        "series_rows": _series_rows(result["series"]),
        "compare_table": _compare_table(data["same_day"], data["next_day"]),
        "scatter_table": stats.acts_mood_counts(result["series"]),
        "same_day_needs": days_still_needed(counts),
        "next_day_needs": pairs_still_needed(counts),
        "rated_days_needed": max(0, stats.MIN_GROUP_DAYS - counts["rated_days"]),
    }
    content = render_to_string("insights/_content.html", context)
    return content.encode(), json_script(data, "insights-data").encode()


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


def _series_rows(series):
    """The trend table's rows, as HTML: one per day, so up to thousands.

    Built here because the template engine takes about fifty times as long for ten years of
    days; format_html_join still escapes every value.
    """
    return format_html_join(
        "\n",
        '<tr><th scope="row" class="fw-normal">{}</th><td>{}</td><td>{}</td><td>{}</td>'
        "<td>{}</td></tr>",
        (
            (
                _day_name(day["date"]),
                _cell(day["mood"]),
                _cell(day["mood_avg7"]),
                day["acts"],
                _cell(day["acts_avg7"]),
            )
            for day in series
        ),
    )


def _day_name(date):
    """A date as "Sun 3 May 2026", like the template filter date:"D j M Y"."""
    return f"{WEEKDAYS[date.weekday()]} {date.day} {MONTHS[date.month - 1]} {date.year}"


def _cell(number):
    """A table cell's number as on the chart (3 decimals), or a dash for no value."""
    if number is None:
        return "–"
    return round(number, 3) if isinstance(number, float) else number
