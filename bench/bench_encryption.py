"""What encrypting notes and acts at rest costs: the 10-year CSV export and a 10-year Daylio
import, each timed whole with the Fernet work inside it timed apart in the same run.

Every encrypt and decrypt the field makes goes through kindjournal/journal/encryption.py's
`encrypt` and `decrypt`; here they are wrapped with a clock (the wrapper costs well under a
microsecond a call against tens for the Fernet work), so "without encryption" is the same run
less that time. No target of its own: the CSV export's and the import's targets are checked
by bench_exports.py and bench_import.py, which run with encryption on like everything else.
"""

import contextlib
import time

import common  # first: it puts the project on sys.path and sets Django up
from bench_import import daylio_export, import_once, new_user

from kindjournal.accounts.models import Profile
from kindjournal.journal import encryption

REPEATS = 5
CSV_URL = "/export/csv/?notes=1"


@contextlib.contextmanager
def fernet_clock():
    """Seconds and calls spent in the field's encrypt and decrypt while inside, as [s, n]."""
    spent = [0.0, 0]
    originals = encryption.encrypt, encryption.decrypt

    def clocked(work):
        def run(value):
            start = time.perf_counter()
            try:
                return work(value)
            finally:
                spent[0] += time.perf_counter() - start
                spent[1] += 1

        return run

    encryption.encrypt, encryption.decrypt = (clocked(work) for work in originals)
    try:
        yield spent
    finally:
        encryption.encrypt, encryption.decrypt = originals


def measured(action):
    """(total seconds, Fernet seconds, Fernet calls) of the median of REPEATS runs."""
    runs = []
    for run in range(REPEATS):
        with fernet_clock() as spent:
            start = time.perf_counter()
            action(run)
            runs.append((time.perf_counter() - start, *spent))
    return sorted(runs)[len(runs) // 2]


def main():
    common.fresh_database()
    user, entries, acts = common.seed_user("exporter", 10)
    client = common.logged_in_client(user)
    baseline, _ = common.time_get(client, common.BASELINE_URL)

    def export(_):
        response = client.get(CSV_URL)
        assert response.status_code == 200
        b"".join(response.streaming_content)

    export(0)  # warm-up
    csv_run = measured(export)

    today = Profile.for_user(user).today()
    ten_years, rows = daylio_export(10, today)
    importers = [new_user(f"importer{run}") for run in range(REPEATS)]
    import_run = measured(lambda run: import_once(importers[run], ten_years))

    print(f"10 years: {entries:,} days and {acts:,} acts; Daylio file of {rows:,} rows")
    print(
        f"{'work':<30} {'total ms':>9} {'Fernet ms':>10} {'calls':>7} {'share':>6} "
        f"{'plain ms':>9} {'x baseline':>11}"
    )
    for name, (total, fernet, calls) in [
        ("CSV export, 10 years", csv_run),
        ("Daylio import, 10 years", import_run),
    ]:
        print(
            f"{name:<30} {total * 1000:>9.1f} {fernet * 1000:>10.1f} {calls:>7} "
            f"{fernet / total:>6.0%} {(total - fernet) * 1000:>9.1f} {total / baseline:>11.2f}"
        )


if __name__ == "__main__":
    main()
