"""Insights and Today on ten years of data, against the baseline page, in-process, DEBUG off.

Judged as people use them: right after a write. Before every timed request a mood is saved
through the day page (as "log today, then look at Insights" does), and the pages are timed
interleaved, round after round, so a slower moment of the machine falls on all of them alike.
Targets (medians, ratios to the trivial authenticated page of the same run):
- Today at most 2x;
- /insights/?range=90 at most 3x;
- /insights/?range=all at most 8x (6x is the aim);
- the same number of queries for a ten-year account as for a two-week one (else the run fails).
Timings are reported, not enforced: they vary with the machine's load.
"""

import statistics
import time

import common

ROUNDS = 21
PAGES = {
    "baseline (base.html)": (common.BASELINE_URL, None),
    "Today": ("/", 2),
    "/insights/?range=90": ("/insights/?range=90", 3),
    "/insights/?range=all": ("/insights/?range=all", 8),
}


def main():
    common.fresh_database()
    user, days, acts = common.seed_user("insights-10y", years=10)
    small_user, _, _ = common.seed_user("insights-2w", years=14 / 365.25, seed=2)
    print(f"seeded {days} rated days and {acts} acts over ten years")
    client = common.logged_in_client(user)
    small_client = common.logged_in_client(small_user)
    today = user.profile.today()

    times = {name: [] for name in PAGES}
    sizes = {}
    with common.baseline_urls():
        for url, _ in PAGES.values():  # one warm-up of each
            client.get(url)
        for round_number in range(ROUNDS):
            for name, (url, _) in PAGES.items():
                saved = client.post(f"/day/{today}/", {"mood": 1 + round_number % 10, "note": ""})
                assert saved.status_code == 302, saved.status_code
                start = time.perf_counter()
                response = client.get(url)
                times[name].append(time.perf_counter() - start)
                assert response.status_code == 200, (url, response.status_code)
                sizes[name] = len(response.content)

    baseline = statistics.median(times["baseline (base.html)"])
    rows, growing = [], []
    for name, (url, target) in PAGES.items():
        queries = common.count_queries(client, url)
        small_queries = common.count_queries(small_client, url)
        if queries != small_queries:
            growing.append(
                f"{name}: {queries} queries for ten years, {small_queries} for two weeks"
            )
        median = statistics.median(times[name])
        ratio = median / baseline
        verdict = (
            "" if target is None else f"<= {target}x: {'met' if ratio <= target else 'MISSED'}"
        )
        rows.append((name, median, ratio, queries, f"{verdict} ({sizes[name] / 1000:.0f} kB)"))
    common.report(rows)
    print(f"medians of {ROUNDS} interleaved requests, each right after saving a mood")
    if growing:
        raise SystemExit("\n".join(growing))
    print("queries are the same for two weeks of data as for ten years")


if __name__ == "__main__":
    main()
