"""Insights on ten years of data (issue 4): /insights/ against the baseline page, in-process.

Targets: ?range=90 at most 2x the baseline, ?range=all at most 5x, and the same number of
queries for a ten-year account as for a two-week one. Timings are reported, not enforced (they
vary with the machine's load); a query count that grows with the data fails the run.
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
    growing = []
    for url, target in TARGETS.items():
        seconds, queries = common.time_get(client, url)
        _, small_queries = common.time_get(small_client, url, repeats=1)
        ratio = seconds / baseline
        verdict = "met" if ratio <= target else "MISSED"
        rows.append((url, seconds, ratio, queries, f"<= {target}x: {verdict}"))
        if queries != small_queries:
            growing.append(f"{url}: {queries} queries for ten years, {small_queries} for two weeks")
    common.report(rows)
    print("queries are the same for two weeks of data as for ten years" if not growing else "")
    if growing:
        raise SystemExit("\n".join(growing))


if __name__ == "__main__":
    main()
