"""Insights on ten years of data (issue 4): /insights/ against the baseline page, in-process.

Targets: ?range=90 at most 2x the baseline, ?range=all at most 5x, and the same number of
queries for a ten-year account as for a two-week one.
"""

import common

TARGETS = {"/insights/?range=90": 2, "/insights/?range=all": 5}


def main():
    common.fresh_database()
    user, days, acts = common.seed_user("insights-10y", years=10)
    small_user, _, _ = common.seed_user("insights-2w", years=14 / 365.25, seed=2)
    print(f"seeded {days} rated days and {acts} acts over ten years")

    client = common.logged_in_client(user)
    small_client = common.logged_in_client(small_user)
    baseline, baseline_queries = common.time_get(client, common.BASELINE_URL)
    rows = [("baseline (base.html)", baseline, 1.0, baseline_queries, "")]
    failures = []
    for url, target in TARGETS.items():
        seconds, queries = common.time_get(client, url)
        _, small_queries = common.time_get(small_client, url, repeats=1)
        ratio = seconds / baseline
        rows.append((url, seconds, ratio, queries, f"<= {target}x, {small_queries} queries"))
        if ratio > target:
            failures.append(f"{url} took {ratio:.2f}x the baseline (target {target}x)")
        if queries != small_queries:
            failures.append(
                f"{url}: {queries} queries for ten years, {small_queries} for two weeks"
            )
    common.report(rows)
    if failures:
        raise SystemExit("\n".join(failures))


if __name__ == "__main__":
    main()
