"""One `send_reminders` pass for many people due at the same minute, each with a confirmed
e-mail address and one subscribed device: a real SMTP server (aiosmtpd) and a fake push
service, both on 127.0.0.1, receive everything.

Printed: the time per reminder (e-mail and notification) as a ratio to the baseline page timed
in the same run, and the queries per reminder at two sizes, which must be the same (the pass
reads and claims in batches). Exits 1 when the queries per reminder grow with the number of
people.

    python bench/bench_reminders.py [PEOPLE]   # 10,000 by default
"""

import datetime
import logging
import sys
import time

from common import (  # first: sets up Django (run as `python bench/bench_reminders.py`)
    BASELINE_URL,
    fresh_database,
    logged_in_client,
    seed_user,
    time_get,
)
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import override_settings
from django.utils import timezone

from kindjournal.accounts.models import Profile
from kindjournal.reminders import vapid
from kindjournal.reminders.models import PushSubscription, Reminder
from kindjournal.reminders.push import Pusher
from kindjournal.reminders.sending import send_due
from tests.push_service import FakeBrowser, PushService
from tests.reminders_helpers import smtp_settings, smtp_sink

SMALL = 1_000


def seed_people(count, prefix, endpoint, browser):
    """`count` people with a reminder due a minute ago, an address and one device."""
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"{prefix}{n}", password="!") for n in range(count)
    )
    Profile.objects.bulk_create(Profile(user=user) for user in users)
    due = timezone.now() - datetime.timedelta(minutes=1)
    Reminder.objects.bulk_create(
        Reminder(
            user=user,
            enabled=True,
            skip_if_logged=True,
            email=True,
            email_address=f"{user.username}@example.org",
            email_confirmed=True,
            next_due=due,
            due_day=due.date(),
            zone="UTC",
        )
        for user in users
    )
    PushSubscription.objects.bulk_create(
        PushSubscription(
            user=user,
            endpoint=f"{endpoint}{user.pk}",
            p256dh=browser.p256dh,
            auth=browser.auth_b64,
            label="Bench browser",
        )
        for user in users
    )


def one_pass(count, prefix, sink, service, browser):
    Reminder.objects.update(enabled=False)  # the previous size's people are done
    seed_people(count, prefix, service.endpoint("bench/"), browser)
    push = Pusher.from_settings()
    # Counted as they run (CaptureQueriesContext keeps only the last 9,000).
    queries = []

    def counted(execute, sql, params, many, context):
        queries.append(1)
        return execute(sql, params, many, context)

    with override_settings(**smtp_settings(sink)), connection.execute_wrapper(counted):
        start = time.perf_counter()
        counts = send_due(push=push)
        seconds = time.perf_counter() - start
    assert counts["email"] == counts["push"] == count, counts
    return seconds, len(queries)


def main():
    people = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    fresh_database()
    user, _, _ = seed_user("baseline", 0)
    baseline, _ = time_get(logged_in_client(user), BASELINE_URL)
    sink, service, browser = smtp_sink(), PushService(), FakeBrowser()
    key = vapid.generate_private_key()
    push_settings = override_settings(
        KINDJOURNAL_VAPID_PRIVATE_KEY=key,
        KINDJOURNAL_VAPID_SUBJECT="mailto:bench@localhost",
        KINDJOURNAL_PUSH_HOSTS=[service.origin],
    )
    try:
        with push_settings:
            rows = [
                (size, *one_pass(size, f"p{size}-", sink, service, browser))
                for size in sorted({min(SMALL, people), people})
            ]
    finally:
        sink.stop()
        service.stop()
    assert len(sink.handler.messages) == len(service.received) == sum(row[0] for row in rows)
    print(f"baseline page: {baseline * 1000:.1f} ms")
    print(
        f"{'people':>7} {'pass s':>8} {'ms per reminder':>16} {'x baseline':>11} {'queries':>8}"
        f" {'per reminder':>13}"
    )
    for size, seconds, queries in rows:
        per = seconds / size
        print(
            f"{size:>7} {seconds:>8.1f} {per * 1000:>16.2f} {per / baseline:>11.2f} {queries:>8}"
            f" {queries / size:>13.3f}"
        )
    (small, _, small_queries), (large, _, large_queries) = rows[0], rows[-1]
    # Fixed queries per batch of 500 aside, each reminder costs the same number of queries.
    per_reminder = (large_queries - small_queries) / max(1, large - small)
    print(f"queries per extra reminder: {per_reminder:.3f}")
    if large > small and large_queries / large > small_queries / small + 0.01:
        print("FAILED: queries per reminder grow with the number of people")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
