"""Insights on ten years of data (issue 4): /insights/ against the baseline page, in-process.

Targets: ?range=90 at most 2x the baseline, ?range=all at most 5x, and the same number of
queries for a ten-year account as for a two-week one. The page is cached per person, range and
journal revision (settings.CACHES["insights"]), so each URL is timed twice:
- warm: repeat visits with nothing changed, served from the cache (what the targets are
  judged on);
- cold: the cache emptied before every request, as on the first visit after any change.
Timings are reported, not enforced (they vary with the machine's load); a query count that
grows with the data fails the run.
"""

import common
from django.core.cache import caches
from django.test import Client

TARGETS = {"/insights/?range=90": 2, "/insights/?range=all": 5}


class ColdClient(Client):
    """Every request finds the Insights cache empty (emptying it takes microseconds)."""

    def request(self, **request):
        caches["insights"].clear()
        return super().request(**request)


def main():
    common.fresh_database()
    user, days, acts = common.seed_user("insights-10y", years=10)
    small_user, _, _ = common.seed_user("insights-2w", years=14 / 365.25, seed=2)
    print(f"seeded {days} rated days and {acts} acts over ten years")

    baseline, baseline_queries = common.time_get(common.logged_in_client(user), common.BASELINE_URL)
    rows = [("baseline (base.html)", baseline, 1.0, baseline_queries, "")]
    growing = []
    for url, target in TARGETS.items():
        for state, client_class in (("warm", Client), ("cold", ColdClient)):
            seconds, queries = common.time_get(_logged_in(client_class, user), url)
            _, small_queries = common.time_get(_logged_in(client_class, small_user), url, repeats=1)
            ratio = seconds / baseline
            verdict = "met" if ratio <= target else "MISSED"
            rows.append((f"{url} {state}", seconds, ratio, queries, f"<= {target}x: {verdict}"))
            if queries != small_queries:
                growing.append(
                    f"{url} {state}: {queries} queries for ten years, {small_queries} for two weeks"
                )
    common.report(rows)
    print("targets are judged on warm (cached) requests; cold shows a first visit after a change")
    print("queries are the same for two weeks of data as for ten years" if not growing else "")
    if growing:
        raise SystemExit("\n".join(growing))


def _logged_in(client_class, user):
    client = client_class()
    client.force_login(user)
    return client


if __name__ == "__main__":
    main()
