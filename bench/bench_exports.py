"""CSV export of one and of ten years of days: time, queries and peak memory.

Targets (issue 5): ten years (about 3,650 rows) in under a second in-process, and memory flat
between one and ten years, since the rows are streamed rather than built in memory. Memory is
the peak of Python allocations (tracemalloc) while one export is produced and read to the end.
Exits 1 when a target is missed.
"""

import sys
import tracemalloc

from common import (  # first: sets up Django (run as `python bench/bench_exports.py`)
    BASELINE_URL,
    fresh_database,
    logged_in_client,
    report,
    seed_user,
    time_get,
)

URL = "/export/csv/?notes=1"
REPORT_URL = "/export/report/?notes=1"
REPEATS = 7
TIME_TARGET_SECONDS = 1.0
# Ten times the rows may cost at most this much more memory than one year: "flat".
MEMORY_RATIO_TARGET = 1.5


def peak_memory(client, url):
    """Peak bytes allocated while the export is produced and read; bytes and rows read."""
    tracemalloc.start()
    response = client.get(url)
    size = rows = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        rows += chunk.count(b"\r\n")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak, size, rows - 1  # less the header line


def main():
    fresh_database()
    rows, memory, csv_seconds = [], {}, {}
    baseline, baseline_queries = None, None
    for years in (1, 10):
        user, _, acts = seed_user(f"export{years}", years, seed=years)
        client = logged_in_client(user)
        if baseline is None:
            baseline, baseline_queries = time_get(client, BASELINE_URL)
            rows.append(("baseline page", baseline, 1.0, baseline_queries, ""))
        seconds, queries = time_get(client, URL, repeats=REPEATS)
        csv_seconds[years] = seconds
        target = f"< {TIME_TARGET_SECONDS:.0f} s" if years == 10 else ""
        rows.append((f"CSV, {years} year(s)", seconds, seconds / baseline, queries, target))
        memory[years] = peak_memory(client, URL) + (acts,)
    # For information: the printable report of the same ten years (no target in the issue).
    seconds, queries = time_get(client, REPORT_URL, repeats=3)
    rows.append(("report, 10 years (info)", seconds, seconds / baseline, queries, ""))
    report(rows)
    print()
    print(f"{'export':<34} {'rows':>6} {'acts':>6} {'file KiB':>9} {'peak KiB':>9}")
    for years, (peak, size, csv_rows, acts) in memory.items():
        name = f"CSV, {years} year(s)"
        print(f"{name:<34} {csv_rows:>6} {acts:>6} {size / 1024:>9.0f} {peak / 1024:>9.0f}")
    ratio = memory[10][0] / memory[1][0]
    ten_years_seconds = csv_seconds[10]
    print(f"\npeak memory, 10 years / 1 year: {ratio:.2f} (target < {MEMORY_RATIO_TARGET})")
    print(f"10 years: {ten_years_seconds:.3f} s (target < {TIME_TARGET_SECONDS} s)")
    missed = ten_years_seconds >= TIME_TARGET_SECONDS or ratio >= MEMORY_RATIO_TARGET
    print("MISSED a target" if missed else "targets met")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
