import zoneinfo
from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


@cache
def time_zone_names():
    return sorted(zoneinfo.available_timezones() - {"localtime"})


def validate_time_zone(name):
    if name not in time_zone_names():
        raise ValidationError("Choose a time zone from the list, such as Europe/London.")


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

    def __str__(self):
        return f"Profile of {self.user}"

    @classmethod
    def for_user(cls, user):
        profile, _ = cls.objects.get_or_create(user=user)
        profile.user = user  # already loaded: `profile.name` and the like need no query
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
