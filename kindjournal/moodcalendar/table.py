"""The calendar table's day rows as HTML, from the Year that year.py builds.

Built here rather than in the template because the template engine takes about twenty times as
long for a year's 372 cells (bench/bench_calendar.py): one format_html per cell, which still
escapes every value, with the few pieces that repeat (a pixel for each mood, with or without
the act mark) made once. The cells keep the contract in templates/moodcalendar/_year_table.html.
"""

from django.urls import reverse
from django.utils.html import format_html, format_html_join

from kindjournal.journal.models import FIRST_DATE
from kindjournal.moodcalendar.year import MOOD_STEPS

ACT_MARK = format_html('<span class="kj-act-mark">{}</span>', "♥")
CURRENT = format_html(' aria-current="{}"', "date")
MOOD_ATTRIBUTES = {mood: format_html(' data-mood="{}"', mood) for mood in MOOD_STEPS}
# The coloured square of a cell, by (mood or None, whether the day has acts).
PIXELS = {
    (mood, kind): format_html(
        '<span class="kj-pixel {}{}" aria-hidden="true">{}{}</span>',
        f"kj-mood-{mood}" if mood else "kj-no-mood",
        " kj-kind" if kind else "",
        mood or "",
        ACT_MARK if kind else "",
    )
    for mood in [None, *MOOD_STEPS]
    for kind in (False, True)
}
LINKED = (
    '<td data-date="{}"{} data-acts="{}" class="kj-col kj-c{}"><a href="{}" aria-label="{}"{}>{}'
    '<span class="kj-cell-text" aria-hidden="true">{}</span></a></td>'
)
TO_COME = (
    '<td data-date="{}"{} data-acts="{}" class="kj-col kj-c{}"><span class="kj-future">{}'
    '<span class="kj-cell-text">{}</span></span></td>'
)


# A day of the month, then that day in each of the twelve months (or an empty cell).
ROW = '<tr><th scope="row" class="kj-day-number">{}</th>' + "{}" * 12 + "</tr>"


def day_rows(year):
    """The table's thirty-one day rows."""
    # Every day's URL is this prefix and the date: reversed once, not 365 times.
    day_url = reverse("journal:day", args=[FIRST_DATE]).removesuffix(f"{FIRST_DATE}/")
    rows = (
        format_html(ROW, day, *(_cell(cell, month, day_url) for month, cell in enumerate(cells, 1)))
        for day, cells in enumerate(year.rows, start=1)
    )
    return format_html_join("\n", "{}", ((row,) for row in rows))


def _cell(cell, month, day_url):
    if cell is None:  # 30 February and the like
        return format_html('<td class="kj-col kj-c{} kj-no-day"></td>', month)
    date = cell.date.isoformat()
    start = (date, MOOD_ATTRIBUTES.get(cell.mood, ""), cell.acts, month)
    pixel = PIXELS[cell.mood, bool(cell.acts)]
    if not cell.linked:
        return format_html(TO_COME, *start, pixel, cell.label)
    current = CURRENT if cell.is_today else ""
    return format_html(LINKED, *start, f"{day_url}{date}/", cell.label, current, pixel, cell.brief)
