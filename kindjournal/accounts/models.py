import datetime
import math
import zoneinfo
from functools import cache

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone


@cache
def time_zone_names():
    return sorted(zoneinfo.available_timezones() - {"localtime"})


def validate_time_zone(name):
    if name not in time_zone_names():
        raise ValidationError("Choose a time zone from the list, such as Europe/London.")


def lock_account(user):
    """Hold the person's row until the transaction ends, so that their writers take turns: the
    user's row always exists (unlike the Profile). SQLite already serialises writers (IMMEDIATE
    transactions); this is for PostgreSQL."""
    list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk"))


def username_taken(username):
    """Whether an account has `username` in any letter case, in any script ("Élodie" and
    "élodie", "straße" and "STRASSE"): their casefold() is the same.

    The unique index on LOWER(username) (accounts migration 0006) and Django's iexact lookup
    fold only ASCII letters on SQLite, so this compares in Python, reading every username:
    sign-ups are few (SIGNUP_RATE) and take the SQLite write lock anyway.
    """
    key = username.casefold()
    names = get_user_model().objects.values_list("username", flat=True)
    return any(name.casefold() == key for name in names.iterator())


class Profile(models.Model):
    """What a person sets about themselves; created on first use (`for_user`)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(
        max_length=100,
        blank=True,
        help_text="Shown on reports you print for your therapist. Your username otherwise.",
    )
    time_zone = models.CharField(
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text="Decides which day counts as “today”.",
    )
    show_on_this_day = models.BooleanField(
        "Show “On this day” on Today",
        default=True,
        help_text="The acts of kindness you logged a year ago today (or a month ago).",
    )

    def __str__(self):
        return f"Profile of {self.user}"

    @classmethod
    def for_user(cls, user):
        profile, _ = cls.objects.get_or_create(user=user)
        profile.user = user  # already loaded: `profile.name` and the like need no query
        return profile

    @classmethod
    def read_for(cls, user):
        """The person's profile, or the defaults unsaved: for readers that must write nothing
        (a dry run, a shared link's visitor, who could otherwise race the owner's deletion)."""
        profile = cls.objects.filter(user=user).first() or cls(user=user)
        profile.user = user
        return profile

    @property
    def zone(self):
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    def today(self):
        """The person's local date: the day a new mood is logged for."""
        return timezone.localdate(timezone=self.zone)

    @property
    def name(self):
        return self.display_name or self.user.get_username()


class RateLimitCountQuerySet(models.QuerySet):
    def hit_sliding(self, scope, key, limit, period):
        """Count one request from `key`. None if it is within `limit` requests in the last
        `period` seconds, else the whole seconds until one more would be, if none is made
        meanwhile (a Retry-After header): refused requests count too.

        The sliding window's count is estimated from this fixed window and the one before: the
        previous window's count weighted by the share of it still inside the sliding window.
        Unlike a fixed window, this allows no burst of twice the limit across a boundary
        (all of one window's allowance at its end, then all of the next one's at its start).

        Atomic on both databases, so parallel requests cannot share one count: the increment is
        done by the database (`F("count") + 1`) inside a transaction that then reads the row it
        has locked (PostgreSQL holds the row lock to COMMIT; SQLite's IMMEDIATE transactions run
        one at a time). The first request of a window inserts the row; two doing so at once
        meet the unique constraint, and the loser adds to the winner's row instead.
        """
        count, window_start = self._count(scope, key, period)
        previous_start = window_start - datetime.timedelta(seconds=period)
        # Windows before the previous one count for nothing: forget them, so the table stays at
        # most two rows per address.
        self.filter(scope=scope, window_start__lt=previous_start).delete()
        previous = (
            self.filter(scope=scope, key=key, window_start=previous_start)
            .values_list("count", flat=True)
            .first()
        ) or 0
        elapsed = (timezone.now() - window_start).total_seconds() / period
        if count + previous * (1.0 - elapsed) <= limit:
            return None
        room = limit - count - 1  # for the next request, in this window's own count
        if room >= 0:
            # Later in this window, once the previous one weighs little enough:
            # (count + 1) + previous * (1 - e) <= limit.
            waited = 1.0 - room / previous - elapsed
        else:
            # In the next window, where this one is the previous: 1 + count * (1 - e) <= limit.
            waited = 1.0 - elapsed + 1.0 - (limit - 1) / count
        # Rounded first: float arithmetic must not add a second to an exact answer.
        return max(1, math.ceil(round(waited * period, 3)))

    def _count(self, scope, key, period):
        start = int(timezone.now().timestamp()) // period * period
        window = {
            "scope": scope,
            "key": key,
            "window_start": datetime.datetime.fromtimestamp(start, datetime.UTC),
        }
        with transaction.atomic():
            if not self.filter(**window).update(count=F("count") + 1):
                try:
                    with transaction.atomic():
                        self.create(**window, count=1)
                except IntegrityError:
                    self.filter(**window).update(count=F("count") + 1)
            count = self.filter(**window).values_list("count", flat=True).get()
        return count, window["window_start"]


class RateLimitCount(models.Model):
    """Requests from one client address (`key`) in one fixed time window, for a limit such as
    the sign-up limit (`scope`, "signup") or the shared links' ("share"). Kept in the database
    so that every app process and machine counts together."""

    scope = models.CharField(max_length=20)
    key = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField()

    objects = RateLimitCountQuerySet.as_manager()

    class Meta:
        constraints = [
            # What makes the first requests of a window agree on one row; also the index of
            # every count.
            models.UniqueConstraint(
                fields=["scope", "key", "window_start"], name="accounts_rate_limit_window_uniq"
            ),
        ]
        indexes = [
            # The purge of ended windows in hit_sliding().
            models.Index(fields=["scope", "window_start"], name="accounts_rate_limit_age_idx"),
        ]

    def __str__(self):
        return f"{self.scope} {self.key} from {self.window_start:%Y-%m-%d %H:%M}: {self.count}"


# A count left by a worker killed mid-check (gunicorn's timeout is 60 s) is forgotten after this.
LOGIN_CHECK_STALE = datetime.timedelta(minutes=2)


class LoginCheckQuerySet(models.QuerySet):
    def claim(self, key):
        """Count one more password check under way for `key`; return how many are, this one
        included. Call inside a transaction, and read the failures recorded so far in the same
        one: the row stays locked to COMMIT (PostgreSQL; SQLite's IMMEDIATE transactions run
        one at a time), so checks claimed at once each see the others."""
        now = timezone.now()
        self.filter(key=key, changed_at__lt=now - LOGIN_CHECK_STALE).update(in_flight=0)
        if not self.filter(key=key).update(in_flight=F("in_flight") + 1, changed_at=now):
            try:
                with transaction.atomic():
                    self.create(key=key, in_flight=1, changed_at=now)
            except IntegrityError:
                self.filter(key=key).update(in_flight=F("in_flight") + 1, changed_at=now)
        return self.filter(key=key).values_list("in_flight", flat=True).get()

    def release(self, key):
        self.filter(key=key, in_flight__gt=0).update(in_flight=F("in_flight") - 1)
        # Nothing under way: forget the row, so the table holds only checks in progress.
        self.filter(key=key, in_flight=0).delete()


class LoginCheck(models.Model):
    """Password checks under way for one username from one address (`key`, a SHA-256 of both),
    so that checks running at once count toward the log-in lockout before any of them ends
    (kindjournal/accounts/lockout.py)."""

    key = models.CharField(max_length=64, unique=True)
    in_flight = models.PositiveIntegerField()
    changed_at = models.DateTimeField()

    objects = LoginCheckQuerySet.as_manager()

    def __str__(self):
        return f"{self.in_flight} under way since {self.changed_at:%H:%M:%S}"
