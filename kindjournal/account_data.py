"""A person's control over their data: everything about them as JSON, and deleting it all.

The one module that knows every table holding someone's data, so it sits above the apps (which
never import it). A new such table belongs in `account_export`, `_owned_rows` and (unless it
cascades from the user) `delete_account`; `tests/test_account_data.py` checks every table after
a deletion.
"""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import models, transaction
from django.db.models import Prefetch
from django.db.models.functions import Cast
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from kindjournal.accounts import two_factor
from kindjournal.accounts.models import Profile
from kindjournal.imports.models import PendingImport
from kindjournal.journal.models import DayEntry, DeletedActKey, KindnessAct
from kindjournal.reminders.models import PushSubscription, Reminder
from kindjournal.sharing.models import ShareAccess, ShareLink

EXPORT_FORMAT = "kindjournal-account-export"
EXPORT_VERSION = 1


def account_export(user):
    """Everything KindJournal holds about `user`, as a JSON-ready dict (dates as ISO strings)."""
    profile = Profile.for_user(user)
    username = user.get_username()
    days = DayEntry.objects.for_user(user).order_by("date")
    acts = KindnessAct.objects.for_user(user).order_by("date", "created_at", "pk")
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": _iso(timezone.now()),
        "account": {
            "username": username,
            "email": user.email,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
        },
        "profile": {
            "display_name": profile.display_name,
            "time_zone": profile.time_zone,
            "show_on_this_day": profile.show_on_this_day,
        },
        "days": [
            {
                "date": _iso(day.date),
                "mood": day.mood,
                "note": day.note,
                "recorded_on": _iso(day.recorded_on),
                "created_at": _iso(day.created_at),
                "updated_at": _iso(day.updated_at),
            }
            for day in days
        ],
        "acts": [
            {
                "date": _iso(act.date),
                "category": act.category,
                "category_label": act.get_category_display(),
                "description": act.description,
                "created_at": _iso(act.created_at),
            }
            for act in acts
        ],
        # When acts were deleted (their form keys are kept so that a copy still waiting on a
        # device is not added back; nothing else of them is).
        "deleted_acts": [
            {"deleted_at": _iso(deleted_at)}
            for deleted_at in DeletedActKey.objects.for_user(user)
            .order_by("deleted_at", "pk")
            .values_list("deleted_at", flat=True)
        ],
        # Files uploaded to /import/ and not yet expired: what and when, never the file itself,
        # so the export stays small however much is waiting (each upload keeps it an hour).
        # The length is counted after decrypting: SQL would count the token's characters.
        "pending_imports": [
            {
                "filename": pending.filename,
                "format": pending.format,
                "characters": len(pending.content),
                "uploaded_at": _iso(pending.created_at),
                "imported_at": _iso(pending.imported_at),
            }
            for pending in PendingImport.objects.for_user(user)
            .defer("mood_map", "kind_activities")
            .order_by("created_at", "pk")
        ],
        # Links shared from /share/ (never their tokens: only a hash is stored) and each opening.
        "share_links": [
            {
                "label": link.label,
                "period": link.period,
                "start": _iso(link.start),
                "end": _iso(link.end),
                "include_notes": link.include_notes,
                "created_at": _iso(link.created_at),
                "expires_at": _iso(link.expires_at),
                "revoked_at": _iso(link.revoked_at),
                "times_opened": link.times_opened,
                "last_opened_at": _iso(link.last_opened_at),
                "accesses": [
                    {
                        "opened_at": _iso(access.opened_at),
                        "kind": access.kind,
                        "network": access.network,
                        "browser": access.browser,
                    }
                    for access in link.accesses.all()
                ],
            }
            for link in ShareLink.objects.for_user(user)
            .order_by("created_at", "pk")
            .prefetch_related(
                Prefetch("accesses", queryset=ShareAccess.objects.order_by("opened_at", "pk"))
            )
        ],
        # The daily reminder (/reminders/) and each device subscribed to its notifications.
        "reminder": _reminder_export(user),
        "push_devices": [
            {
                "label": device.label,
                "endpoint": device.endpoint,
                "added_at": _iso(device.created_at),
                "last_delivered_at": _iso(device.last_delivered_at),
            }
            for device in PushSubscription.objects.for_user(user)
        ],
        # Whether logging in takes a code too; never the app's secret or the recovery codes
        # (of which only hashes are kept anyway).
        "two_factor": _two_factor_export(user),
        # Kept by django-axes to stop password guessing; listed because they are about you. A
        # sign-in took the person's password: its address and browser are the person's own.
        "sign_ins": [
            {
                "time": _iso(log.attempt_time),
                "logged_out": _iso(log.logout_time),
                "ip_address": log.ip_address,
                "user_agent": log.user_agent,
            }
            for log in AccessLog.objects.filter(username=username).order_by("attempt_time")
        ],
        # Anyone can type a username: a failed attempt may be a stranger's, whose address and
        # browser are theirs, not the person's. How many and when is enough to notice guessing.
        "failed_sign_ins": [
            {"time": _iso(attempt.attempt_time), "failures": attempt.failures_since_start}
            for attempt in AccessAttempt.objects.filter(username=username).order_by("attempt_time")
        ],
    }


def _two_factor_export(user):
    app = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if app is None:
        return {"on": False}
    return {
        "on": True,
        "app_added_at": _iso(app.created_at),
        "app_code_last_used_at": _iso(app.last_used_at),
        "recovery_codes_left": two_factor.recovery_codes_left(user),
    }


@transaction.atomic
def delete_account(user):
    """Delete `user` and everything of theirs: cascaded rows, sign-in records, sessions."""
    username = user.get_username()
    user_id = str(user.pk)
    _delete_admin_log_about(user)
    # Cascades to the profile, days, acts, uploads, share links and their access logs, the
    # reminder and push devices, two-factor devices and recovery codes, and the admin log
    # entries the person made.
    user.delete()
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username=username).delete()
    # Sessions are not indexed by user; a deletion is rare enough to read them all. A session
    # between the password and the code names the person too.
    session_keys = [
        session.session_key
        for session in Session.objects.iterator()
        if user_id in _session_user_ids(session.get_decoded())
    ]
    Session.objects.filter(session_key__in=session_keys).delete()


def _session_user_ids(data):
    pending = data.get(two_factor.PENDING_LOGIN_KEY) or {}
    return {str(data.get("_auth_user_id")), str(pending.get("user"))}


def _owned_rows(user):
    """(model, queryset of the pks) of every row that is the person's: what the admin log
    may name (a staff member's change to their day is logged as "2026-12-02: mood 3")."""
    return [
        (get_user_model(), get_user_model().objects.filter(pk=user.pk)),
        (Profile, Profile.objects.filter(user=user)),
        (DayEntry, DayEntry.objects.for_user(user)),
        (KindnessAct, KindnessAct.objects.for_user(user)),
        (PendingImport, PendingImport.objects.for_user(user)),
        (Reminder, Reminder.objects.for_user(user)),
        (PushSubscription, PushSubscription.objects.for_user(user)),
        (TOTPDevice, TOTPDevice.objects.filter(user=user)),
        (StaticDevice, StaticDevice.objects.filter(user=user)),
        (StaticToken, StaticToken.objects.filter(device__user=user)),
    ]


def _delete_admin_log_about(user):
    for model, rows in _owned_rows(user):
        # LogEntry.object_id is text: compare with the pks as text, in one query per table.
        pks = rows.order_by().annotate(pk_text=Cast("pk", models.TextField())).values("pk_text")
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id__in=pks
        ).delete()


def _reminder_export(user):
    reminder = Reminder.objects.for_user(user).first()
    if reminder is None:
        return None
    return {
        "enabled": reminder.enabled,
        "time": reminder.time.strftime("%H:%M"),
        "weekdays": sorted(reminder.weekday_set),
        "email": reminder.email,
        "email_address": reminder.email_address,
        "email_confirmed": reminder.email_confirmed,
        "skip_if_logged": reminder.skip_if_logged,
        "next_due": _iso(reminder.next_due),
    }


def _iso(value):
    return value.isoformat() if value is not None else None
