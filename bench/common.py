"""Shared by the `make bench` scripts: a throwaway database, ten years of data, timing.

Each bench_*.py imports this first. Figures are ratios against a baseline page timed in the same
run (an authenticated page rendering only base.html), never absolute seconds.
"""

import atexit
import datetime
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
if "DATABASE_URL" not in os.environ:
    _database_dir = tempfile.mkdtemp(prefix="kindjournal-bench-")
    atexit.register(shutil.rmtree, _database_dir, ignore_errors=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{_database_dir}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from kindjournal.accounts.models import Profile  # noqa: E402
from kindjournal.journal.models import ActCategory, DayEntry, KindnessAct  # noqa: E402

REPEATS = 25
BASELINE_URL = "/bench/baseline/"


def fresh_database():
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)


def seed_user(username, years, seed=1):
    """A person with `years` of days ending today: ~95% rated, ~2 acts a day on average."""
    rng = random.Random(seed)
    user = get_user_model().objects.create_user(username, password="bench-password-1")
    profile = Profile.objects.create(user=user)
    today = profile.today()
    entries, acts = [], []
    categories = list(ActCategory.values)
    for offset in range(round(365.25 * years)):
        day = today - datetime.timedelta(days=offset)
        day_acts = rng.choice([0, 0, 1, 2, 3, 4, 4])
        if rng.random() < 0.95:
            mood = min(10, max(1, round(rng.gauss(5.5 + 0.4 * bool(day_acts), 1.6))))
            entries.append(
                DayEntry(user=user, date=day, mood=mood, recorded_on=day, note=f"Day {offset}")
            )
        acts += [
            KindnessAct(
                user=user, date=day, category=rng.choice(categories), description=f"Act {n}"
            )
            for n in range(day_acts)
        ]
    DayEntry.objects.bulk_create(entries, batch_size=1000)
    KindnessAct.objects.bulk_create(acts, batch_size=1000)
    return user, len(entries), len(acts)


def logged_in_client(user):
    client = Client()
    client.force_login(user)
    return client


def count_queries(client, url):
    """How many queries one GET of `url` runs."""
    with baseline_urls(), CaptureQueriesContext(connection) as queries:
        _read(client.get(url))
        return len(queries)


def time_get(client, url, repeats=REPEATS):
    """Median seconds of `repeats` GETs (after one warm-up), and the queries of one request."""
    with baseline_urls():
        response = client.get(url)  # warm-up
        assert response.status_code == 200, (url, response.status_code)
    query_count = count_queries(client, url)
    with baseline_urls():
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            _read(client.get(url))
            times.append(time.perf_counter() - start)
    return statistics.median(times), query_count


def _read(response):
    """A streamed response runs its queries only as its content is read."""
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    return response


def baseline_urls():
    """The app's URLs plus the baseline page (bench/urls.py)."""
    return override_settings(ROOT_URLCONF="bench.urls")


def report(rows):
    """Print a table of (name, median seconds, ratio to baseline, queries, target)."""
    print(f"{'page':<34} {'median ms':>10} {'x baseline':>11} {'queries':>8}  target")
    for name, seconds, ratio, queries, target in rows:
        print(f"{name:<34} {seconds * 1000:>10.1f} {ratio:>11.2f} {queries:>8}  {target}")


__all__ = ["settings"]
