"""Saving the entries a person's device kept while offline: each once, none over a newer one.

The device sends every entry with the key it made for it, the day it belongs to, the moment it
was made and the moment it was sent, both by the device's clock. The difference between the
two is how long the entry waited, which stays right even when the device's clock is wrong: the
entry counts as made that long before it reached the server.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format

from kindjournal.journal.forms import ActForm, MoodForm
from kindjournal.journal.models import (
    REUSED,
    STALE,
    DayEntry,
    KindnessAct,
    day_name,
    journal_date_problem,
)

INVALID = "invalid"


@dataclass(frozen=True)
class Outcome:
    status: str  # SAVED, DUPLICATE, STALE, REUSED or INVALID
    message: str
    problem: str = ""  # INVALID: why, without naming the entry


def made_moment(made_at_ms, sent_at_ms, now):
    """When the entry was made, in server time: `now` less how long it waited on the device."""
    waited = max(0, sent_at_ms - made_at_ms)
    return now - datetime.timedelta(milliseconds=waited)


def replay(user, profile, entry, fields):
    """Save one queued entry (`entry`: QueuedEntryForm's cleaned data; `fields`: the mood and
    note, or the act's description and category, as sent) and say what became of it."""
    today = profile.today()
    day = entry["date"]
    made = made_moment(entry["made_at"], entry["sent_at"], timezone.now())
    if entry["kind"] == "mood":
        return _replay_mood(user, profile, entry, fields, day, today, made)
    return _replay_act(user, entry, fields, day, today)


def _replay_mood(user, profile, entry, fields, day, today, made):
    # As sent: a note that is not text (a number, a list) is refused by the form, not blanked.
    form = MoodForm({"mood": fields.get("mood"), "note": fields.get("note")})
    problem = journal_date_problem(day, today) or _first_error(form)
    what = f"the mood for {day_name(day, today)}"
    if problem:
        return Outcome(INVALID, f"Not saved: {what} kept on this device. {problem}", problem)
    mood = form.cleaned_data["mood"]
    # The person's local date when they made it, never before the day itself.
    recorded_on = max(day, min(timezone.localdate(made, profile.zone), today))
    status, stored = DayEntry.objects.save_queued_day(
        user,
        day,
        mood,
        form.cleaned_data["note"],
        recorded_on=recorded_on,
        submission_key=entry["key"],
        made_at=made,
    )
    if status == STALE:
        changed = timezone.localtime(stored.updated_at, profile.zone)
        made_local = timezone.localtime(made, profile.zone)
        return Outcome(
            STALE,
            f"Not applied: mood {mood} for {day_name(day, today)}, made on this device at "
            f"{_when(made_local)}. That day was changed at {_when(changed)}, after it "
            f"(on another device or tab), so the journal keeps mood {stored.mood}.",
        )
    if status == REUSED:
        return Outcome(REUSED, _reused(f"mood {mood} for {day_name(day, today)}"))
    return Outcome(status, f"Sent from this device: mood {mood} for {day_name(day, today)}.")


def _replay_act(user, entry, fields, day, today):
    form = ActForm(
        {"description": fields.get("description"), "category": fields.get("category")},
        instance=KindnessAct(user=user, date=day),
    )
    problem = journal_date_problem(day, today) or _first_error(form)
    if problem:
        what = f"an act for {day_name(day, today)}"
        return Outcome(INVALID, f"Not saved: {what} kept on this device. {problem}", problem)
    status, _ = KindnessAct.objects.add_queued(
        user,
        day,
        form.cleaned_data["description"],
        form.cleaned_data["category"],
        submission_key=entry["key"],
    )
    what = f"“{form.cleaned_data['description']}” for {day_name(day, today)}"
    if status == REUSED:
        return Outcome(REUSED, _reused(what))
    if status == STALE:
        return Outcome(
            STALE, f"Not added again: {what} was saved earlier and you have deleted it since."
        )
    return Outcome(status, f"Sent from this device: {what}.")


def _reused(what):
    return (
        f"Not saved: {what}. It came with the key of a different entry this journal already "
        "has, so nothing was changed; log it again if you meant it."
    )


def _first_error(form):
    if form.is_valid():
        return None
    return next(iter(form.errors.values()))[0]


def _when(moment):
    return date_format(moment, "H:i \\o\\n j F")
