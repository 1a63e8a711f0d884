"""Importing a 10-year Daylio export (about 5,000 rows): time in-process, and queries.

Target: under 3 seconds to read, check and write the whole file, with the same number of
queries (bar the database's insert batches) for 1 year as for 10.
"""

import csv
import datetime
import io
import random
import statistics
import time

import common  # first: it puts the project on sys.path and sets Django up
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kindjournal.accounts.models import Profile
from kindjournal.imports import formats, services
from kindjournal.journal.models import DayEntry, KindnessAct

REPEATS = 5
MOODS = ["rad", "good ", "meh", "bad", "awful"]
ACTIVITIES = ["work", "friends", "volunteering", "called mom", "reading", "gym", "gift", "tv"]
KIND = {"volunteering": "volunteering", "called mom": "checkin", "gift": "gift"}


def daylio_export(years, today, seed=7):
    """(bytes, rows): a common-layout Daylio CSV, newest first, ~1.3 entries a day, BOM and all."""
    rng = random.Random(seed)
    rows = 0
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["full_date", "date", "weekday", "time", "mood", "activities", "note_title", "note"]
    )
    for offset in range(1, round(365.25 * years) + 1):
        day = today - datetime.timedelta(days=offset)
        for entry in range(rng.choice([1, 1, 2])):
            rows += 1
            hour = 21 - 10 * entry
            writer.writerow(
                [
                    day.isoformat(),
                    day.strftime("%B %-d"),
                    day.strftime("%A"),
                    f"{hour % 12 or 12}:{rng.randrange(60):02d} {'pm' if hour >= 12 else 'am'}",
                    rng.choice(MOODS),
                    " | ".join(rng.sample(ACTIVITIES, rng.randrange(4))),
                    rng.choice(["", "Evening"]),
                    rng.choice(["", "Slept badly, then a walk.", "Long day\nbut OK"]),
                ]
            )
    return ("\ufeff" + out.getvalue()).encode(), rows


def import_once(user, data):
    source = formats.sniff(data, formats.DAYLIO)
    parsed = services.parse(user, source, kind_activities=KIND)
    assert not parsed.problems, parsed.problems[:3]
    return services.import_days(user, parsed.days, overwrite=False)


def new_user(name):
    user = get_user_model().objects.create_user(name, password="bench-password-1")
    Profile.objects.create(user=user)
    return user


def main():
    common.fresh_database()
    baseline_user = new_user("baseline")
    today = Profile.for_user(baseline_user).today()
    baseline, _ = common.time_get(common.logged_in_client(baseline_user), common.BASELINE_URL)

    ten_years, rows = daylio_export(10, today)
    times = []
    for run in range(REPEATS):
        user = new_user(f"importer{run}")
        start = time.perf_counter()
        plan = import_once(user, ten_years)
        times.append(time.perf_counter() - start)
    assert DayEntry.objects.for_user(user).count() == len(plan.new_days)
    acts = KindnessAct.objects.for_user(user).count()

    # The preview page re-reads the kept file on every view: what a person waits for.
    viewer = new_user("previewer")
    pending, _ = services.start_pending(viewer, "daylio.csv", formats.sniff(ten_years))
    preview, preview_queries = common.time_get(
        common.logged_in_client(viewer), pending.get_absolute_url(), repeats=REPEATS
    )

    queries = {}
    for years in (1, 10):
        user = new_user(f"counted{years}")
        data, _ = daylio_export(years, today)
        source = formats.sniff(data, formats.DAYLIO)
        parsed = services.parse(user, source, kind_activities=KIND)
        with CaptureQueriesContext(connection) as captured:
            services.import_days(user, parsed.days, overwrite=False)
        queries[years] = len(captured)

    seconds = statistics.median(times)
    print(f"10-year Daylio file: {rows:,} rows, {len(plan.new_days):,} days, {acts:,} acts")
    common.report(
        [
            (
                "import 10 years (read+check+write)",
                seconds,
                seconds / baseline,
                queries[10],
                "< 3 s",
            ),
            ("preview page, 10-year file", preview, preview / baseline, preview_queries, ""),
        ]
    )
    batches = (
        f"; the difference is insert batches of at most {connection.features.max_query_params} "
        "parameters, not rows"
        if queries[1] != queries[10]
        else ""
    )
    print(
        f"queries to write 1 year: {queries[1]}, 10 years: {queries[10]} "
        f"({connection.vendor}{batches})"
    )
    if seconds >= 3:
        raise SystemExit(f"too slow: {seconds:.2f} s")


if __name__ == "__main__":
    main()
