import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format

from kindjournal.journal import progress
from kindjournal.journal.encryption import EncryptedTextField
from kindjournal.journal.querysets import OwnedQuerySet

FIRST_DATE = datetime.date(2000, 1, 1)
MOOD_MIN, MOOD_MAX = 1, 10
NOTE_MAX_LENGTH = 5000


BEFORE_FIRST_DATE = "KindJournal keeps days from 1 January 2000 on."


def validate_not_before_first_date(value):
    if value < FIRST_DATE:
        raise ValidationError(BEFORE_FIRST_DATE)


def journal_date_problem(day, today):
    """Why `day` cannot be logged when it is `today` for the person, or None if it can."""
    if day < FIRST_DATE:
        return BEFORE_FIRST_DATE
    if day > today:
        return "That day hasn't happened yet: you can log today or any day before it."
    return None


def day_name(day, today):
    """How messages name a day: "today", else "Tuesday 1 December 2026"."""
    return "today" if day == today else date_format(day, "l j F Y")


class DayEntryQuerySet(OwnedQuerySet):
    def save_day(self, user, date, mood, note, recorded_on):
        """Create or update the person's day; safe against double submits and two tabs.

        The unique (user, date) constraint makes the second of two concurrent first saves fall
        back to an update, so neither raises and the later mood wins.
        """
        entry, _ = self.update_or_create(
            user=user,
            date=date,
            # The day now holds what this form said, no longer a device's queued entry.
            defaults={"mood": mood, "note": note, "submission_key": None},
            create_defaults={"mood": mood, "note": note, "recorded_on": recorded_on},
        )
        return entry

    def save_queued_day(self, user, date, mood, note, recorded_on, submission_key, made_at):
        """Save a mood that waited on the person's device, once, and never over a newer change.

        `submission_key` is the key the device gave the entry; `made_at` the moment it was made
        (server time). Returns (outcome, entry): SAVED; DUPLICATE when the day already holds
        this mood and note (this key sent again from a second tab or after a lost answer, or the
        same mood saved meanwhile); STALE when the day changed on the server after `made_at`, so
        what is stored stays and `entry` shows it; REUSED when the key already saved a different
        mood, note or day that nothing changed since: a device never sends two entries under
        one key, so nothing is changed and the person is told.

        The write is a compare-and-set UPDATE, so a change committed meanwhile by anyone (an
        online save, another device's replay) is never overwritten, on either database.
        """
        for _ in range(3):
            elsewhere = self.filter(user=user, submission_key=submission_key).exclude(date=date)
            if elsewhere.exists():  # a device never moves an entry to another day
                return REUSED, elsewhere.first()
            try:
                with transaction.atomic():
                    changed = (
                        self.filter(user=user, date=date, updated_at__lte=made_at)
                        .exclude(submission_key=submission_key)
                        .update(
                            mood=mood,
                            note=note,
                            submission_key=submission_key,
                            updated_at=timezone.now(),
                        )
                    )
                    if not changed and not self.filter(user=user, date=date).exists():
                        entry = self.create(
                            user=user,
                            date=date,
                            mood=mood,
                            note=note,
                            recorded_on=recorded_on,
                            submission_key=submission_key,
                        )
                        return SAVED, entry
            except IntegrityError:
                # Another request created the day or used the key first: compare again.
                continue
            entry = self.filter(user=user, date=date).first()
            if changed:
                return SAVED, entry
            if entry is None:  # deleted meanwhile: compare again
                continue
            if (entry.mood, entry.note) == (mood, note):
                return DUPLICATE, entry
            # An online save clears the key (save_day): a day still holding it was last
            # written by this very entry, so the key has come back with something else.
            return (REUSED if entry.submission_key == submission_key else STALE), entry
        raise RuntimeError("The day kept changing while a queued mood was being saved.")


# What save_queued_day and add_queued did with an entry from the device.
SAVED, DUPLICATE, STALE, REUSED = "saved", "duplicate", "stale", "reused"


class DayEntry(models.Model):
    """A person's mood rating (and optional note) for one day."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="day_entries"
    )
    date = models.DateField(validators=[validate_not_before_first_date])
    mood = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(MOOD_MIN), MaxValueValidator(MOOD_MAX)],
        help_text="1 = worst, 10 = best.",
    )
    # Encrypted at rest (journal/encryption.py): never filtered or ordered on in SQL.
    note = EncryptedTextField(blank=True, max_length=NOTE_MAX_LENGTH)
    # The person's local date when this day's mood was first saved: tells an entry made on the
    # day from one filled in later. Exported as `recorded_on` and kept by the importer.
    recorded_on = models.DateField()
    # The device's key of the offline save that last wrote this day (save_queued_day): the same
    # save sent again finds it and changes nothing. An online form save clears it.
    submission_key = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DayEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-date"]
        verbose_name_plural = "day entries"
        indexes = [
            # Insights' moods over a date range, read from the index alone.
            models.Index(fields=["user", "date", "mood"], name="journal_day_user_date_mood_idx"),
        ]
        constraints = [
            # Also the (user, date) index behind every day lookup and date-range query.
            models.UniqueConstraint(
                fields=["user", "date"], name="journal_dayentry_user_date_uniq"
            ),
            models.UniqueConstraint(
                fields=["user", "submission_key"], name="journal_dayentry_user_submission_uniq"
            ),
            models.CheckConstraint(
                condition=Q(mood__gte=MOOD_MIN, mood__lte=MOOD_MAX),
                name="journal_dayentry_mood_1_to_10",
            ),
            models.CheckConstraint(
                condition=Q(date__gte=FIRST_DATE), name="journal_dayentry_date_from_2000"
            ),
        ]

    def __str__(self):
        return f"{self.date}: mood {self.mood}"


class ActCategory(models.TextChoices):
    """Stored values are part of the CSV and import formats: never rename one."""

    CHECKIN = "checkin", "Check-in message or call"
    GIFT = "gift", "Gift or flowers"
    MEAL = "meal", "Meal or food"
    VOLUNTEERING = "volunteering", "Volunteering"
    LISTENING = "listening", "Listening"
    PRACTICAL = "practical", "Practical help"
    OTHER = "other", "Other"


class KindnessActQuerySet(OwnedQuerySet):
    def remove(self, pk):
        """Delete the act `pk` if it is in this queryset (so `for_user(person).remove(pk)` only
        ever deletes that person's act); True if an act was deleted. Its form key is kept
        (DeletedActKey), so that a copy still waiting on a device is not added back."""
        act = self.filter(pk=pk)
        with transaction.atomic():
            keys = list(act.exclude(submission_key=None).values_list("user", "submission_key"))
            deleted, _ = act.delete()
            DeletedActKey.objects.bulk_create(
                [DeletedActKey(user_id=user, submission_key=key) for user, key in keys],
                ignore_conflicts=True,
            )
        return deleted > 0

    def add(self, user, date, description, category, submission_key=None):
        """Record an act; the same form sent twice (same key, same act) returns the first act.

        A key that comes back with a different act (a form restored by the Back button and
        filled in again) records the new act without the key, so nothing typed is lost.
        """
        fields = {"date": date, "description": description, "category": category}
        with transaction.atomic():
            # The key of a deleted act is taken: the act is recorded without it, like a key
            # that comes back with a different act.
            if submission_key is not None and not _deleted_key(user, submission_key):
                act, created = self.get_or_create(
                    user=user, submission_key=submission_key, defaults=fields
                )
                if created or (act.date, act.description, act.category) == (
                    date,
                    description,
                    category,
                ):
                    return act
            return self.create(user=user, **fields)

    def add_queued(self, user, date, description, category, submission_key):
        """Record an act that waited on the person's device, once. Returns (outcome, act):
        SAVED; DUPLICATE when this key already holds this act (a second tab, a resend after a
        lost answer); REUSED when it holds a different act, and nothing is added; STALE (and
        no act) when the act this key saved was deleted since: the person's deletion stands."""
        fields = {"date": date, "description": description, "category": category}
        with transaction.atomic():
            # get_or_create falls back to a get when a concurrent request created it first.
            act, created = self.get_or_create(
                user=user, submission_key=submission_key, defaults=fields
            )
            # Checked after the insert: a deletion commits its act's key in the same
            # transaction, so one that ran meanwhile is seen here, never missed in between.
            if created and _deleted_key(user, submission_key):
                transaction.set_rollback(True)
                return STALE, None
        if created:
            return SAVED, act
        same = (act.date, act.description, act.category) == (date, description, category)
        return (DUPLICATE if same else REUSED), act


class KindnessAct(models.Model):
    """Something kind a person did on a day; may be logged before the day's mood."""

    Category = ActCategory

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kindness_acts"
    )
    date = models.DateField(validators=[validate_not_before_first_date])
    # Encrypted at rest (journal/encryption.py): never filtered or ordered on in SQL.
    description = EncryptedTextField(
        max_length=200, error_messages={"blank": "Describe what you did."}
    )
    category = models.CharField(
        max_length=20, choices=ActCategory.choices, default=ActCategory.OTHER
    )
    # The one-time key of the form that created the act: a second submit of the same form
    # finds the first act instead of adding a copy.
    submission_key = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = KindnessActQuerySet.as_manager()

    class Meta:
        ordering = ["date", "created_at", "pk"]
        indexes = [
            # A day's acts, and acts counted per day over a date range (history, insights);
            # with the category, Insights' per-day categories are read from the index alone.
            models.Index(
                fields=["user", "date", "category"], name="journal_act_user_date_kind_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "submission_key"], name="journal_act_user_submission_uniq"
            ),
            models.CheckConstraint(
                condition=Q(category__in=ActCategory.values), name="journal_act_category_known"
            ),
            models.CheckConstraint(
                condition=~Q(description=""), name="journal_act_description_not_empty"
            ),
            models.CheckConstraint(
                condition=Q(date__gte=FIRST_DATE), name="journal_act_date_from_2000"
            ),
        ]

    def __str__(self):
        # Not the description: this names the act in the admin (kindjournal/journal/admin.py).
        return f"{self.date}: {self.get_category_display()}"

    def clean_fields(self, exclude=None):
        # Stripped first, so the validators see what is stored. A field the form already found
        # wrong is excluded, so its message is not given twice.
        self.description = self.description.strip()
        super().clean_fields(exclude=exclude)


def _deleted_key(user, submission_key):
    return DeletedActKey.objects.filter(user=user, submission_key=submission_key).exists()


class DeletedActKey(models.Model):
    """The form key (KindnessAct.submission_key) of an act the person deleted. A device whose
    post of that act lost its answer keeps a copy and sends it again, possibly after the
    deletion: the key tells the copy from a new act. Deleted with the account."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    submission_key = models.UUIDField()
    deleted_at = models.DateTimeField(auto_now_add=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "submission_key"], name="journal_deleted_act_key_uniq"
            ),
        ]

    def __str__(self):
        return f"deleted act key of {self.deleted_at:%Y-%m-%d}"


def logged_dates(user, until=None):
    """Dates on which the person rated their mood or logged an act, newest first (a queryset),
    up to `until` if given."""
    rated = DayEntry.objects.for_user(user).order_by().values_list("date", flat=True)
    with_acts = KindnessAct.objects.for_user(user).order_by().values_list("date", flat=True)
    if until is not None:
        rated, with_acts = rated.filter(date__lte=until), with_acts.filter(date__lte=until)
    return rated.union(with_acts).order_by("-date")


# The day page is the one people open every day, and for its reads the ORM's building of each
# statement cost about ten times running it (bench/bench_insights.py, "Today"). So these three
# are written out once. Each is scoped like OwnedQuerySet.for_user: every SELECT in it has
# `user_id = %s`, bound to the person's pk.
_DAY_ENTRY_SQL = "SELECT * FROM journal_dayentry WHERE user_id = %s AND date = %s"
_DAY_ACTS_SQL = (
    # Only what the day page shows: the other fields are loaded if ever read.
    "SELECT id, date, description, category FROM journal_kindnessact"
    " WHERE user_id = %s AND date IN ({dates})"
    " ORDER BY date, created_at, id"  # KindnessAct.Meta.ordering
)
# The newest logged dates up to today. A compound SELECT, so that SQLite merges the two
# (user, date) indexes in order and stops at the LIMIT.
_LATEST_DATES_SQL = (
    "SELECT date FROM journal_dayentry WHERE user_id = %s AND date <= %s"
    " UNION SELECT date FROM journal_kindnessact WHERE user_id = %s AND date <= %s"
    " ORDER BY 1 DESC LIMIT %s"
)
_ACTS_TOTAL_SQL = "SELECT COUNT(*) FROM journal_kindnessact WHERE user_id = %s"


def day_entry_for(user, day):
    """The person's DayEntry for `day`, or None."""
    return next(iter(DayEntry.objects.raw(_DAY_ENTRY_SQL, [user.pk, day])), None)


def acts_for(user, dates):
    """The person's acts of `dates`, in KindnessAct's order (a list), for showing: only the
    fields the day page reads are loaded, so the acts are not for saving."""
    sql = _DAY_ACTS_SQL.format(dates=", ".join(["%s"] * len(dates)))
    return list(KindnessAct.objects.raw(sql, [user.pk, *dates]))


def progress_for(user, today):
    """Today's progress line (journal/progress.py), from two small statements on the person's
    indexes. Up to today: a date stored as someone's today before they moved their time zone
    west is still to come."""
    with connection.cursor() as cursor:
        cursor.execute(_LATEST_DATES_SQL, [user.pk, today, user.pk, today, progress.LATEST_DATES])
        latest = [date for (date,) in cursor.fetchall()]
        cursor.execute(_ACTS_TOTAL_SQL, [user.pk])
        (acts_total,) = cursor.fetchone()
    return progress.progress(today, latest, acts_total)


def acts_and_on_this_day_for(user, today, on_this_day=True):
    """(today's acts, the "On this day" box or None) for Today, in one query: the acts of today
    and of the dates "On this day" looks back to (journal/progress.py), so no more rows than
    those days' own pages list. `on_this_day` False (the person turned it off): today's only."""
    dates = [today, *progress.on_this_day_dates(today)] if on_this_day else [today]
    acts = acts_for(user, dates)
    todays = [act for act in acts if act.date == today]
    if not on_this_day:
        return todays, None
    earlier = [(act.date, act.description) for act in acts if act.date != today]
    return todays, progress.on_this_day(today, earlier[: progress.ON_THIS_DAY_LIMIT + 1])


def day_summaries(user, dates):
    """[{date, entry or None, acts: count}] for `dates`, in their order; two queries."""
    entries = {
        entry.date: entry for entry in DayEntry.objects.for_user(user).filter(date__in=dates)
    }
    act_counts = dict(
        KindnessAct.objects.for_user(user)
        .filter(date__in=dates)
        .values_list("date")
        .annotate(count=models.Count("pk"))
        .order_by()
    )
    return [
        {"date": date, "entry": entries.get(date), "acts": act_counts.get(date, 0)}
        for date in dates
    ]
