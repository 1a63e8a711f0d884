"""One pass of the reminder sender: every due reminder claimed, sent (or skipped) once.

Any number of senders may run at once on one database (cron on several machines, a `--loop`
service): each reminder is claimed with a compare-and-set update of its `next_due`
(ReminderQuerySet.claim) before anything is sent, so exactly one of them sends it. The claim
also plans the next day's reminder, so a failure to send never stops tomorrow's.
"""

import logging
from collections import Counter, defaultdict

from django.core.mail import get_connection
from django.utils import timezone

from kindjournal.journal.models import DayEntry
from kindjournal.reminders import mail, scheduling
from kindjournal.reminders.models import PushSubscription, Reminder

logger = logging.getLogger(__name__)
# Reminders read and claimed per round trip: the queries per reminder stay constant.
BATCH_SIZE = 500
# What `send_reminders` reports, in this order.
COUNTS = {
    "email": "sent by e-mail",
    "push": "sent as notifications",
    "logged": "skipped: the day was already logged",
    "late": "skipped: more than two hours late",
    "email_failed": "e-mails failed",
    "push_failed": "notifications failed",
    "push_gone": "devices removed (unsubscribed at the push service)",
}


def send_due(now=None, push=None):
    """Send every reminder due at `now`; a Counter with the keys of COUNTS.

    `push` delivers notifications (kindjournal.reminders.push.Pusher); None sends none."""
    now = now or timezone.now()
    counts = Counter()
    mailer = Mailer()
    last_pk = 0
    while True:
        batch = list(
            Reminder.objects.due(now)
            .filter(pk__gt=last_pk)
            .select_related("user__profile")
            .order_by("pk")[:BATCH_SIZE]
        )
        if not batch:
            break
        last_pk = batch[-1].pk
        _send_batch(batch, now, mailer, push, counts)
    mailer.close()
    return counts


def _send_batch(batch, now, mailer, push, counts):
    claimed = [reminder for reminder in batch if _claim(reminder, now, counts)]
    user_ids = [reminder.user_id for reminder in claimed]
    logged = set(
        DayEntry.objects.filter(
            user_id__in=user_ids, date__in={reminder.due_day for reminder in claimed}
        ).values_list("user_id", "date")
    )
    devices = defaultdict(list)
    if push is not None:
        for device in PushSubscription.objects.filter(user_id__in=user_ids):
            devices[device.user_id].append(device)
    for reminder in claimed:
        if reminder.skip_if_logged and (reminder.user_id, reminder.due_day) in logged:
            counts["logged"] += 1
            continue
        if reminder.email_ready:
            mailer.send(reminder, counts)
        for device in devices[reminder.user_id]:
            push.send(device, reminder.due_day, counts)
    if push is not None:
        push.finish_batch(now)


def _claim(reminder, now, counts):
    """Whether this sender won `reminder` and it is to be sent now (its day stays on it)."""
    time_zone = getattr(getattr(reminder.user, "profile", None), "time_zone", "UTC")
    if reminder.zone != time_zone:
        reminder = Reminder.objects.replan(reminder, time_zone, now)
        if reminder is None or reminder.next_due is None or reminder.next_due > now:
            return False
    if not Reminder.objects.claim(reminder, now):
        return False
    if scheduling.is_late(reminder.next_due, now):
        counts["late"] += 1
        return False
    return True


class Mailer:
    """One SMTP connection for the whole pass, opened at its first e-mail and again after a
    failure; while the server cannot be reached, the pass's other e-mails fail at once instead
    of each waiting for its own timeout (EMAIL_TIMEOUT)."""

    def __init__(self):
        self.connection = get_connection()
        self.up = None  # not tried yet: a pass with nothing to mail never connects

    def _open(self):
        try:
            self.connection.open()
        except Exception as error:  # noqa: BLE001 (the mail server is down: logged, counted)
            logger.error("Cannot reach the mail server for reminders: %s.", _kind(error))
            return False
        return True

    def send(self, reminder, counts):
        message = mail.reminder_message(reminder, reminder.due_day)
        if message is None:
            logger.error("Reminder e-mail not sent: KINDJOURNAL_BASE_URL is not set.")
            counts["email_failed"] += 1
            return
        if self.up is None:
            self.up = self._open()
        if not self.up:
            counts["email_failed"] += 1
            return
        try:
            self.connection.send_messages([message])
        except Exception as error:  # noqa: BLE001 (any SMTP or network failure: others still go)
            # The person by id and the kind of failure only: SMTP errors quote the address,
            # which is theirs, not the log's.
            logger.error("Reminder e-mail to user %s failed: %s.", reminder.user_id, _kind(error))
            counts["email_failed"] += 1
            self.connection.close()
            self.up = self._open()
            return
        counts["email"] += 1

    def close(self):
        self.connection.close()


def _kind(error):
    code = getattr(error, "smtp_code", None)
    return f"{type(error).__name__} {code}" if code else type(error).__name__
