"""The year in pixels on ten years of data, against the baseline page, and what Today's
progress line and "On this day" add to Today.

Targets: /calendar/ (a whole year: 372 cells, three queries of its own) at most 8x the
baseline, and the same number of queries for a ten-year account as for a two-week one, on the
calendar and on Today. Timed right after a write (a new act today), so nothing shown can come
from a cache. Today's own target is judged by its own bench; here it is timed with "On this
day" on and off, to show what that part costs. A missed target or a query count that grows
with the data fails the run.
"""

import common

from kindjournal.accounts.models import Profile
from kindjournal.journal import progress
from kindjournal.journal.models import KindnessAct

CALENDAR_TARGET = 8


def main():
    common.fresh_database()
    user, days, acts = common.seed_user("calendar-10y", years=10)
    small_user, _, _ = common.seed_user("calendar-2w", years=14 / 365.25, seed=2)
    print(f"seeded {days} rated days and {acts} acts over ten years")
    today = user.profile.today()
    past_year = f"/calendar/?year={today.year - 5}"
    KindnessAct.objects.add(user, today, "Bench act written just before timing", "other")
    # Both see "On this day" (until it is turned off): acts a year and a month ago.
    for person in (user, small_user):
        for date in progress.on_this_day_dates(today):
            KindnessAct.objects.create(user=person, date=date, description="Bench memory")

    client = common.logged_in_client(user)
    baseline, baseline_queries = common.time_get(client, common.BASELINE_URL)
    rows = [("baseline (base.html)", baseline, 1.0, baseline_queries, "")]
    problems = []
    pages = [
        ("/calendar/", "/calendar/", CALENDAR_TARGET),
        (past_year, past_year, CALENDAR_TARGET),
        ("/ (Today)", "/", None),
        ("/ (Today, On this day off)", "/", None),
    ]
    for name, url, target in pages:
        if "off" in name:
            Profile.objects.filter(user__in=[user, small_user]).update(show_on_this_day=False)
        seconds, queries = common.time_get(client, url)
        _, small_queries = common.time_get(common.logged_in_client(small_user), url, repeats=1)
        ratio = seconds / baseline
        verdict = ""
        if target is not None:
            verdict = f"<= {target}x: {'met' if ratio <= target else 'MISSED'}"
            if ratio > target:
                problems.append(f"{name}: {ratio:.2f}x the baseline, target {target}x")
        rows.append((name, seconds, ratio, queries, verdict))
        if queries != small_queries:
            problems.append(f"{name}: {queries} queries for ten years, {small_queries} for two")
    common.report(rows)
    if problems:
        raise SystemExit("\n".join(problems))
    print("queries are the same for two weeks of data as for ten years")


if __name__ == "__main__":
    main()
