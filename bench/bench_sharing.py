"""Shared links (/s/<token>/) against the owner's own export of the same period.

Opening a link adds to the export's work: the rate limit's counter (an atomic update), the
lookup by token hash, the opening counted and logged. Each timed request below is such a write.
Targets: the shared report of 90 days (a rolling link over ten years of data) within 1.3x the
owner's own /export/report/ for the same dates, the shared CSV within 1.8x the owner's (a CSV
of 90 days takes a few milliseconds, so the opening's fixed cost weighs more), and the neutral
404 for a wrong token within 3x the baseline page. Own and shared pages are timed in turns.
Exits 1 when a target is missed.
"""

import datetime
import logging
import statistics
import sys
import time

from common import (  # first: sets up Django (run as `python bench/bench_sharing.py`)
    BASELINE_URL,
    REPEATS,
    fresh_database,
    logged_in_client,
    report,
    seed_user,
    time_get,
)
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from kindjournal.sharing.models import ShareLink

REPORT_TARGET = 1.3
# The CSV of 90 days is cheap (a few ms), so the opening's fixed cost weighs more.
CSV_TARGET = 1.8
NOT_FOUND_TARGET = 3.0


def main():
    # Each 404 would print "Not Found: /s/[token]/" (redacted) through django.request.
    logging.getLogger("django.request").setLevel(logging.ERROR)
    fresh_database()
    user, _, _ = seed_user("sharer", 10, seed=10)
    owner = logged_in_client(user)
    today = user.profile.today()
    start = today - datetime.timedelta(days=89)
    _, token = ShareLink.objects.create_link(
        user, label="bench", period="90", start=None, end=None, notes=True, expires_days=7
    )
    therapist = Client()
    dates = f"start={start}&end={today}&notes=1"
    # Every request is counted as usual; the limit is only raised so that the run is not refused.
    with override_settings(SHARE_RATE=(1_000_000, 3600)):
        baseline, baseline_queries = time_get(owner, BASELINE_URL)
        pairs = [
            ("report, 90 days", f"/export/report/?{dates}", f"/s/{token}/", REPORT_TARGET),
            ("CSV, 90 days", f"/export/csv/?{dates}", f"/s/{token}/csv/", CSV_TARGET),
        ]
        rows = [("baseline page", baseline, 1.0, baseline_queries, "")]
        missed = False
        for name, own_url, shared_url, target in pairs:
            own, shared = _time_pair(owner, own_url, therapist, shared_url)
            own_queries, shared_queries = (
                time_get(owner, own_url, 1)[1],
                time_get(therapist, shared_url, 1)[1],
            )
            ratio = shared / own
            missed |= ratio >= target
            rows.append((f"own {name}", own, own / baseline, own_queries, ""))
            rows.append(
                (
                    f"shared {name}",
                    shared,
                    shared / baseline,
                    shared_queries,
                    f"{ratio:.2f}x own (< {target})",
                )
            )
        wrong = f"/s/{'A' * 43}/"
        seconds, queries = _time_not_found(therapist, wrong)
        missed |= seconds / baseline >= NOT_FOUND_TARGET
        rows.append(
            ("wrong token (404)", seconds, seconds / baseline, queries, f"< {NOT_FOUND_TARGET}x")
        )
    report(rows)
    openings = ShareLink.objects.get().times_opened
    print(f"\nopenings counted and logged during the run: {openings}")
    print("MISSED a target" if missed else "targets met")
    return 1 if missed else 0


def _time_pair(own_client, own_url, shared_client, shared_url):
    """Median seconds of the two pages timed in turns, so that load from elsewhere on the
    machine falls on both alike."""
    own_times, shared_times = [], []
    for _ in range(REPEATS):
        for client, url, times in (
            (own_client, own_url, own_times),
            (shared_client, shared_url, shared_times),
        ):
            started = time.perf_counter()
            response = client.get(url)
            if response.streaming:
                b"".join(response.streaming_content)
            times.append(time.perf_counter() - started)
            assert response.status_code == 200, url
    return statistics.median(own_times), statistics.median(shared_times)


def _time_not_found(client, url):
    """Like common.time_get, for a page that must answer 404."""
    assert client.get(url).status_code == 404
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    count = len(queries)
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - started)
    return statistics.median(times), count


if __name__ == "__main__":
    sys.exit(main())
