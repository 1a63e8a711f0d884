"""Links a person gives their therapist: a period of their journal, readable without logging
in by whoever holds the link, until it expires or is revoked.

Only the SHA-256 of a link's token is stored: the token itself is shown once, on creation, and
a copy of the database (a backup, a leak) opens nothing.
"""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from kindjournal.accounts.models import lock_account
from kindjournal.journal.querysets import OwnedQuerySet

TOKEN_BYTES = 32  # secrets.token_urlsafe(32): 256 bits, 43 characters
# Longer than any token we make: anything longer is refused before it is even hashed.
TOKEN_MAX_LENGTH = 64
EXPIRY_DAYS = (1, 7, 30, 90)
DEFAULT_EXPIRY_DAYS = 7
# Expired and revoked links stay listed (with their access log) this long, then are deleted by
# every /share/ page and the purge_share_links command.
KEPT_AFTER_END = datetime.timedelta(days=30)
# Links one person may have at once, ended ones still listed included.
MAX_LINKS = 50
# Openings kept per link (the count of openings goes on): the list stays short and a link
# opened in a loop cannot grow the table without end.
MAX_LOGGED_OPENINGS = 100
LABEL_MAX_LENGTH = 100


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


class Period(models.TextChoices):
    FIXED = "fixed", "Dates I choose"
    LAST_30 = "30", "The last 30 days, up to the day it is opened"
    LAST_90 = "90", "The last 90 days, up to the day it is opened"


class TooManyLinks(Exception):
    """The person has MAX_LINKS links already (ended ones still listed included)."""


class ShareLinkQuerySet(OwnedQuerySet):
    def live(self, now=None):
        """Links that open: neither revoked nor expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())

    def purgeable(self, now=None):
        """Links that ended (expired or revoked) more than KEPT_AFTER_END ago."""
        cutoff = (now or timezone.now()) - KEPT_AFTER_END
        return self.filter(Q(expires_at__lt=cutoff) | Q(revoked_at__lt=cutoff))

    def create_link(self, user, *, label, period, start, end, notes, expires_days, key=None):
        """A new link and its token (to show once); the same form sent twice (same `key`)
        returns the first link and None, since its token exists nowhere any more. Raises
        TooManyLinks when the person already has MAX_LINKS."""
        token = secrets.token_urlsafe(TOKEN_BYTES)
        now = timezone.now()
        with transaction.atomic():
            # Forms sent at once (two tabs) take turns, so that they cannot all see room for
            # one more link.
            lock_account(user)
            first = self.filter(user=user, submission_key=key).first() if key else None
            if first is not None:
                return first, None
            if self.filter(user=user).count() >= MAX_LINKS:
                raise TooManyLinks
            link = self.create(
                user=user,
                label=label,
                period=period,
                start=start if period == Period.FIXED else None,
                end=end if period == Period.FIXED else None,
                include_notes=notes,
                expires_at=now + datetime.timedelta(days=expires_days),
                created_at=now,
                token_hash=hash_token(token),
                submission_key=key,
            )
        return link, token

    def revoke(self, pk):
        """Revoke the link `pk` if it is in this queryset (`for_user(user).revoke(pk)`) and
        still open; how many were revoked (0 or 1)."""
        return self.filter(pk=pk, revoked_at__isnull=True).update(revoked_at=timezone.now())

    def live_with_token(self, token, now=None):
        """The live link behind `token` (at most one), as a queryset; a token longer than any
        we make finds nothing, unhashed."""
        if len(token) > TOKEN_MAX_LENGTH:
            return self.none()
        return self.live(now).filter(token_hash=hash_token(token))

    def open(self, token, kind, network, browser):
        """The live link behind `token`, with this opening counted and logged; None if there
        is none (unknown, expired and revoked alike).

        The count, the log entry and the check that the link is live are one transaction, so a
        revocation that committed first is always honoured, and every opening served is logged.
        """
        now = timezone.now()
        with transaction.atomic():
            opened = self.live_with_token(token, now).update(
                times_opened=F("times_opened") + 1, last_opened_at=now
            )
            if not opened:
                return None
            link = self.select_related("user").get(token_hash=hash_token(token))
            ShareAccess.objects.create(
                link=link, opened_at=now, kind=kind, network=network, browser=browser
            )
            newest_first = ShareAccess.objects.filter(link=link).order_by("-pk")
            stale = newest_first.values_list("pk", flat=True)[MAX_LOGGED_OPENINGS:][:1]
            if stale:
                ShareAccess.objects.filter(link=link, pk__lte=stale[0]).delete()
        return link


class ShareLink(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="share_links"
    )
    label = models.CharField(max_length=LABEL_MAX_LENGTH)
    period = models.CharField(max_length=5, choices=Period.choices)
    # Only for a fixed period; a rolling one is worked out on the day the link is opened.
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)
    include_notes = models.BooleanField(default=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The one-time key of the form that created the link: a second submit finds the first link.
    submission_key = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    times_opened = models.PositiveIntegerField(default=0)
    last_opened_at = models.DateTimeField(null=True, blank=True)

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The person's list on /share/ (newest first).
            models.Index(fields=["user", "created_at"], name="sharing_link_user_created_idx"),
            # The purge: WHERE expires_at < cutoff OR revoked_at < cutoff.
            models.Index(fields=["expires_at"], name="sharing_link_expires_idx"),
            models.Index(fields=["revoked_at"], name="sharing_link_revoked_idx"),
        ]
        constraints = [
            # token_hash's own unique index serves every /s/ lookup.
            models.UniqueConstraint(
                fields=["user", "submission_key"], name="sharing_link_user_submission_uniq"
            ),
            models.CheckConstraint(
                condition=Q(period__in=Period.values), name="sharing_link_period_known"
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        period=Period.FIXED,
                        start__isnull=False,
                        end__isnull=False,
                        start__lte=F("end"),
                    )
                    | (~Q(period=Period.FIXED) & Q(start__isnull=True, end__isnull=True))
                ),
                name="sharing_link_dates_for_fixed_only",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")), name="sharing_link_expires_later"
            ),
            models.CheckConstraint(condition=~Q(label=""), name="sharing_link_label_not_empty"),
        ]

    def __str__(self):
        # Not the label: it may name the therapist (the admin shows this).
        return f"Share link {self.pk} created {self.created_at:%Y-%m-%d}"

    def dates(self, today):
        """(start, end) of the journal shown when the link is opened on the owner's `today`."""
        if self.period == Period.FIXED:
            return self.start, self.end
        return today - datetime.timedelta(days=int(self.period) - 1), today

    def status(self, now=None):
        now = now or timezone.now()
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if self.expires_at <= now else "active"

    @property
    def ended_at(self):
        if self.revoked_at is not None and self.revoked_at < self.expires_at:
            return self.revoked_at
        return self.expires_at

    @property
    def deleted_after(self):
        """When the purge removes the link and its log."""
        return self.ended_at + KEPT_AFTER_END

    def get_revoke_url(self):
        return reverse("sharing:revoke", args=[self.pk])


class AccessKind(models.TextChoices):
    PAGE = "page", "Report page"
    CSV = "csv", "CSV download"


class ShareAccess(models.Model):
    """One opening of a link: when, what, from which network and which browser family. Never
    the full address or the user agent: the person sees enough to recognise their therapist's
    openings, and nothing that identifies one device."""

    link = models.ForeignKey(ShareLink, on_delete=models.CASCADE, related_name="accesses")
    opened_at = models.DateTimeField()
    kind = models.CharField(max_length=4, choices=AccessKind.choices)
    network = models.CharField(max_length=50)  # "203.0.113.0/24", "2001:db8:1::/48"
    browser = models.CharField(max_length=50)  # ua-parser's family, "Firefox", "Mobile Safari"

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name_plural = "share accesses"
        indexes = [
            # A link's latest openings on /share/, and the trim to MAX_LOGGED_OPENINGS.
            models.Index(fields=["link", "opened_at"], name="sharing_access_link_time_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=AccessKind.values), name="sharing_access_kind_known"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} at {self.opened_at:%Y-%m-%d %H:%M}"
