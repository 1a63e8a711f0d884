"""Send the reminders that are due: once (for cron, every minute) or `--loop` (a service).

Safe to run on several machines at once: see kindjournal/reminders/sending.py.
"""

import logging
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from kindjournal.reminders.push import Pusher
from kindjournal.reminders.sending import COUNTS, send_due

LOOP_SECONDS = 30
logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Send the daily reminders that are due (e-mail and notifications)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop",
            action="store_true",
            help=f"Keep running, checking every {LOOP_SECONDS} seconds.",
        )

    def handle(self, *args, loop=False, **options):
        push = Pusher.from_settings()
        if not loop:
            self.report(send_due(push=push))
            return
        try:
            while True:
                close_old_connections()
                try:
                    self.report(send_due(push=push))
                except Exception:  # noqa: BLE001 (a database outage: try again next round)
                    logger.exception("Reminder pass failed; trying again in %s s.", LOOP_SECONDS)
                time.sleep(LOOP_SECONDS)
        except KeyboardInterrupt:
            return

    def report(self, counts):
        sent = counts["email"] + counts["push"]
        line = (
            f"Sent {sent} reminders: {counts['email']} by e-mail, {counts['push']} by notification."
        )
        self.stdout.write(line)
        for key, label in COUNTS.items():
            if key not in ("email", "push") and counts[key]:
                self.stdout.write(f"{counts[key]} {label}.")
