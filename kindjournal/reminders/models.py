"""A person's daily reminder (when, which days, which channels) and the devices it goes to.

The sender (`send_reminders`) finds due reminders by `next_due` and claims each one with a
compare-and-set update of that field, so any number of senders can share one database.
"""

import datetime

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.utils import timezone

from kindjournal.accounts.models import Profile, lock_account
from kindjournal.journal.querysets import OwnedQuerySet
from kindjournal.reminders import scheduling, tokens

DEFAULT_TIME = datetime.time(20, 0)
ALL_DAYS_MASK = 0b1111111  # bit n set: weekday n (0 Monday ... 6 Sunday)
# Devices one person may have subscribed at once: a list, not an unbounded table.
MAX_DEVICES = 10
ENDPOINT_MAX_LENGTH = 1000
LABEL_MAX_LENGTH = 100
# The longest address SMTP carries (RFC 5321), as Django's EmailField: the form refuses longer
# ones with a message, so none reaches the column (PostgreSQL would fail the save with a 500).
EMAIL_ADDRESS_MAX_LENGTH = 254


def weekdays_of(mask):
    return frozenset(day for day in range(7) if mask & (1 << day))


def mask_of(weekdays):
    return sum(1 << int(day) for day in set(weekdays))


class ReminderQuerySet(OwnedQuerySet):
    def due(self, now):
        """Reminders to look at now: due ones, and those planned in a time zone the person has
        since left (the sender plans them again first). The second half keeps a zone change in
        Settings taking effect at once without the accounts app knowing reminders exist."""
        return self.filter(enabled=True).filter(
            Q(next_due__lte=now) | ~Q(zone=F("user__profile__time_zone"))
        )

    def claim(self, reminder, now):
        """Move `reminder` on to its following day, from the `next_due` it was read with; True
        for the one sender whose update changed the row (UPDATE ... WHERE pk = ... AND
        next_due = <old>), on SQLite and PostgreSQL alike, and only when its due day comes
        after the last day reminded (AND last_day < due_day).

        That second condition keeps one reminder a local day even when a plan was made from a
        stale read: the settings page read before a sender's claim, saved after it (20:00 sent,
        then "21:00" saved from the page read at 19:59, plans 21:00 the same day again). Such a
        plan is moved on to the next day without sending."""
        new_due, new_day = reminder.following(now)
        as_read = self.filter(
            pk=reminder.pk, next_due=reminder.next_due, zone=reminder.zone, due_day=reminder.due_day
        )
        if reminder.due_day_reminded:
            as_read.update(next_due=new_due, due_day=new_day)
            return False
        claimed = as_read.filter(Q(last_day__isnull=True) | Q(last_day__lt=F("due_day"))).update(
            next_due=new_due, due_day=new_day, last_day=reminder.due_day
        )
        return claimed == 1

    def awaiting_link(self, user_id, digest):
        """The reminder of `user_id` whose address is the one a confirmation link was made for
        (`digest`, tokens.address_digest); None when there is none, or it has changed since."""
        reminder = self.filter(user_id=user_id).exclude(email_address="").first()
        if reminder is None or tokens.address_digest(reminder.email_address) != digest:
            return None
        return reminder

    def confirm_address(self, reminder):
        """Confirm `reminder`'s address as read, unless another tab changed it meanwhile; True
        when it was confirmed."""
        return (
            self.filter(pk=reminder.pk, email_address=reminder.email_address).update(
                email_confirmed=True
            )
            == 1
        )

    def replan(self, reminder, time_zone, now):
        """Plan `reminder` again in the person's new `time_zone`, unless another sender did;
        the reminder as planned now, or None when someone else got there first."""
        old_due, old_zone = reminder.next_due, reminder.zone
        reminder.plan(time_zone, now)
        changed = self.filter(pk=reminder.pk, next_due=old_due, zone=old_zone).update(
            next_due=reminder.next_due, due_day=reminder.due_day, zone=time_zone
        )
        return reminder if changed == 1 else None


class Reminder(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder"
    )
    enabled = models.BooleanField(default=False)
    time = models.TimeField(default=DEFAULT_TIME)
    weekdays = models.PositiveSmallIntegerField(default=ALL_DAYS_MASK)
    email = models.BooleanField(default=False)
    skip_if_logged = models.BooleanField(default=True)
    # Reminders go only to a confirmed address: nobody can make KindJournal mail someone else.
    email_address = models.EmailField(max_length=EMAIL_ADDRESS_MAX_LENGTH, blank=True)
    email_confirmed = models.BooleanField(default=False)
    # The next moment to send (UTC), planned in `zone`; None while off.
    next_due = models.DateTimeField(null=True, blank=True)
    zone = models.CharField(max_length=64, blank=True)
    # The local day `next_due` is about (a gap moves the time, never the day), and the last day
    # reminded or skipped: at most one reminder a day, even across a change of zone.
    due_day = models.DateField(null=True, blank=True)
    last_day = models.DateField(null=True, blank=True)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        indexes = [
            # The sender's WHERE enabled AND (next_due <= now OR zone <> the profile's zone);
            # the second half is a join on the profile's user_id.
            models.Index(fields=["enabled", "next_due"], name="reminders_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(weekdays__gte=1, weekdays__lte=ALL_DAYS_MASK),
                name="reminders_weekdays_some",
            ),
            models.CheckConstraint(
                condition=Q(email_confirmed=False) | ~Q(email_address=""),
                name="reminders_confirmed_has_address",
            ),
        ]

    def __str__(self):
        return f"Reminder of {self.user}"

    @property
    def weekday_set(self):
        return weekdays_of(self.weekdays)

    @property
    def email_ready(self):
        return self.email and self.email_confirmed and bool(self.email_address)

    @property
    def awaits_confirmation(self):
        """E-mail reminders are on for an address not confirmed yet (its link is what's due)."""
        return self.email and not self.email_confirmed and bool(self.email_address)

    def save_settings(self, address_changed):
        """Save what the person set, with the plan made for it. A second tab's first save
        (the row did not exist when the page was read) updates the row the first one made.
        The confirmation is only ever reset, never written from the page: a confirmation made
        in another tab meanwhile stands."""
        names = ["enabled", "time", "weekdays", "email", "skip_if_logged", "next_due"]
        names += ["due_day", "zone"]
        if address_changed:
            names += ["email_address", "email_confirmed"]
        fields = {name: getattr(self, name) for name in names}
        saved, _ = Reminder.objects.update_or_create(user=self.user, defaults=fields)
        self.pk = saved.pk

    def set_address(self, address):
        """A new address (or none, "") waits for its own confirmation; True when it changed."""
        if address.lower() == self.email_address.lower():
            return False
        self.email_address, self.email_confirmed = address, False
        return True

    def plan(self, time_zone, now=None):
        """Set `next_due`, `due_day` and `zone` for the settings as they are (not saved)."""
        self.zone = time_zone
        found = None
        if self.enabled:
            found = scheduling.next_due(
                now or timezone.now(),
                self.time,
                self.weekday_set,
                zone_named(time_zone),
                self.last_day,
            )
        self.next_due, self.due_day = found or (None, None)

    @property
    def due_day_reminded(self):
        """Whether the day it is due for was reminded (or skipped) already."""
        return self.last_day is not None and self.due_day <= self.last_day

    def following(self, now):
        """(next_due, due_day) of the reminder after the one due now, planned in `zone`, on a
        day after both the one due and the last one reminded."""
        found = scheduling.next_due(
            max(now, self.next_due),
            self.time,
            self.weekday_set,
            zone_named(self.zone),
            max(self.due_day, self.last_day or self.due_day),
        )
        return found or (None, None)


def zone_named(name):
    # The profile's own reading of a zone name (UTC for one no longer known).
    return Profile(time_zone=name).zone


class TooManyDevices(Exception):
    """The person has MAX_DEVICES subscribed already."""


class PushSubscriptionQuerySet(OwnedQuerySet):
    def subscribe(self, user, endpoint, *, p256dh, auth, label):
        """Add `user`'s browser at `endpoint`, or renew its keys when it is listed already (a
        second tab, a renewed subscription). Raises TooManyDevices for a new one beyond
        MAX_DEVICES."""
        fields = {"p256dh": p256dh, "auth": auth, "label": label}
        with transaction.atomic():
            # Subscribes at once (two tabs, two devices) take turns, so that they cannot all
            # see room for one more device.
            lock_account(user)
            if self.filter(user=user, endpoint=endpoint).update(**fields):
                return
            if self.filter(user=user).count() >= MAX_DEVICES:
                raise TooManyDevices
            try:
                with transaction.atomic():
                    self.create(user=user, endpoint=endpoint, **fields)
            except IntegrityError:
                # reminders_push_user_uniq: the browser was added by a writer that did not
                # take the lock. It is listed either way; these are its newest keys.
                self.filter(user=user, endpoint=endpoint).update(**fields)


class PushSubscription(models.Model):
    """One browser subscribed to Web Push for a person's reminders."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=ENDPOINT_MAX_LENGTH)
    p256dh = models.CharField(max_length=100)
    auth = models.CharField(max_length=50)
    label = models.CharField(max_length=LABEL_MAX_LENGTH)  # "Firefox on Android"
    created_at = models.DateTimeField(default=timezone.now)
    last_delivered_at = models.DateTimeField(null=True, blank=True)

    objects = PushSubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            # One row per browser and person: subscribing twice updates the keys. Also the
            # index of the person's list.
            models.UniqueConstraint(fields=["user", "endpoint"], name="reminders_push_user_uniq"),
        ]

    def __str__(self):
        return f"{self.label} of {self.user}"

    def as_subscription_info(self):
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}
