import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q

from kindjournal.accounts.models import Profile
from kindjournal.journal import progress

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


class OwnedQuerySet(models.QuerySet):
    """Every journal query starts here: a person only ever reaches their own rows."""

    def for_user(self, user):
        return self.filter(user=user)


class DayEntryQuerySet(OwnedQuerySet):
    def save_day(self, user, date, mood, note, recorded_on):
        """Create or update the person's day; safe against double submits and two tabs.

        The unique (user, date) constraint makes the second of two concurrent first saves fall
        back to an update, so neither raises and the later mood wins.
        """
        with transaction.atomic():
            Profile.objects.bump_journal_revision(user)
            entry, _ = self.update_or_create(
                user=user,
                date=date,
                defaults={"mood": mood, "note": note},
                create_defaults={"mood": mood, "note": note, "recorded_on": recorded_on},
            )
        return entry


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
    note = models.TextField(blank=True, validators=[MaxLengthValidator(NOTE_MAX_LENGTH)])
    # The person's local date when this day's mood was first saved: tells an entry made on the
    # day from one filled in later. Exported as `recorded_on` and kept by the importer.
    recorded_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DayEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-date"]
        verbose_name_plural = "day entries"
        constraints = [
            # Also the (user, date) index behind every day lookup and date-range query.
            models.UniqueConstraint(
                fields=["user", "date"], name="journal_dayentry_user_date_uniq"
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
    def remove(self, act):
        """Delete an act, bumping its owner's journal revision in the same transaction."""
        with transaction.atomic():
            Profile.objects.bump_journal_revision(act.user_id)
            act.delete()

    def add(self, user, date, description, category, submission_key=None):
        """Record an act; the same form sent twice (same key, same act) returns the first act.

        A key that comes back with a different act (a form restored by the Back button and
        filled in again) records the new act without the key, so nothing typed is lost.
        """
        fields = {"date": date, "description": description, "category": category}
        with transaction.atomic():
            # First, as on every write path: the profile row is then always locked before
            # the journal's rows, so two writers never wait on each other in a circle.
            Profile.objects.bump_journal_revision(user)
            if submission_key is not None:
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


class KindnessAct(models.Model):
    """Something kind a person did on a day; may be logged before the day's mood."""

    Category = ActCategory

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kindness_acts"
    )
    date = models.DateField(validators=[validate_not_before_first_date])
    description = models.CharField(max_length=200)
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
            # A day's acts, and acts counted per day over a date range (history, insights).
            models.Index(fields=["user", "date"], name="journal_act_user_date_idx"),
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

    def clean(self):
        self.description = self.description.strip()
        if not self.description:
            raise ValidationError({"description": "Describe what you did."})


def logged_dates(user, until=None):
    """Dates on which the person rated their mood or logged an act, newest first (a queryset),
    up to `until` if given."""
    rated = DayEntry.objects.for_user(user).order_by().values_list("date", flat=True)
    with_acts = KindnessAct.objects.for_user(user).order_by().values_list("date", flat=True)
    if until is not None:
        rated, with_acts = rated.filter(date__lte=until), with_acts.filter(date__lte=until)
    return rated.union(with_acts).order_by("-date")


def progress_for(user, today):
    """Today's progress line (journal/progress.py): two small queries on the (user, date)
    indexes. Up to today: a date stored as someone's today before they moved their time zone
    west is still to come."""
    latest = list(logged_dates(user, until=today)[: progress.LATEST_DATES])
    return progress.progress(today, latest, KindnessAct.objects.for_user(user).count())


def on_this_day_for(user, today):
    """Today's "On this day" box (journal/progress.py), or None: one query."""
    acts = (
        KindnessAct.objects.for_user(user)
        .filter(date__in=progress.on_this_day_dates(today))
        .order_by("date", "created_at", "pk")
        .values_list("date", "description")[: progress.ON_THIS_DAY_LIMIT + 1]
    )
    return progress.on_this_day(today, list(acts))


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
