import uuid

from django import forms
from django.core.exceptions import ValidationError

from kindjournal.exports.forms import date_field
from kindjournal.journal.models import FIRST_DATE
from kindjournal.sharing.models import (
    DEFAULT_EXPIRY_DAYS,
    EXPIRY_DAYS,
    KEPT_AFTER_END,
    LABEL_MAX_LENGTH,
    MAX_LINKS,
    Period,
    ShareLink,
    TooManyLinks,
)

# What `notes` may be: a browser sends "on" for the ticked box and nothing otherwise.
NOTES_TICKED = ("on", "1", "true")
NOTES_UNTICKED = ("", "off", "0", "false")


class ShareLinkForm(forms.Form):
    """POST /share/: `label`, `period` (fixed, 30 or 90), `start` and `end` (for fixed),
    `notes` (checkbox) and `expires_days` (1, 7, 30 or 90). The owner comes from the request."""

    label = forms.CharField(
        label="Who is it for?",
        max_length=LABEL_MAX_LENGTH,
        help_text="A name only you see in your list of links, such as “Dr Lee”.",
        error_messages={"required": "Give the link a name, such as “Dr Lee”."},
    )
    period = forms.ChoiceField(
        label="Which days it shows",
        choices=Period.choices,
        initial=Period.LAST_30,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose which days the link shows.",
            "invalid_choice": "Choose dates, the last 30 days or the last 90 days.",
        },
    )
    start = date_field("From")
    end = date_field("To")
    notes = forms.BooleanField(
        label="Include private notes",
        required=False,
        help_text="Off unless you tick it: whoever has the link can read every note in it.",
    )
    expires_days = forms.TypedChoiceField(
        label="Stops working after",
        choices=[(str(days), f"{days} day{'s' if days > 1 else ''}") for days in EXPIRY_DAYS],
        coerce=int,
        initial=str(DEFAULT_EXPIRY_DAYS),
        error_messages={
            "required": "Choose when the link stops working.",
            "invalid_choice": "Choose 1, 7, 30 or 90 days.",
        },
    )
    # One per rendered form: sent twice (a double tap, a reload), it creates one link.
    submission_key = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.today = today
        self.initial.setdefault("submission_key", uuid.uuid4())
        for name in ("start", "end"):
            self.fields[name].widget.attrs.update(min=FIRST_DATE.isoformat(), max=today.isoformat())
        self.fields["start"].help_text = "For “Dates I choose” only."

    def clean_notes(self):
        # The raw value: a checkbox widget reads any text but "false" and "0" as ticked, and
        # a script's notes=off must not share every note.
        raw = self.data.get(self.add_prefix("notes"), "").lower()
        if raw not in NOTES_TICKED + NOTES_UNTICKED:
            raise ValidationError("Tick the box to include notes, or leave it unticked.")
        return raw in NOTES_TICKED

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("period") == Period.FIXED:
            self._clean_dates(cleaned)
        else:
            cleaned["start"] = cleaned["end"] = None
            for name in ("start", "end"):
                self.errors.pop(name, None)  # dates of a rolling period are ignored
        return cleaned

    def _clean_dates(self, cleaned):
        start, end = cleaned.get("start"), cleaned.get("end")
        for name, value in (("start", start), ("end", end)):
            if name in self.errors:
                continue
            if value is None:
                self.add_error(name, "Enter the date as YYYY-MM-DD, or choose a rolling period.")
            elif value > self.today:
                self.add_error(name, "That date is in the future: choose today or earlier.")
            elif value < FIRST_DATE:
                self.add_error(name, "KindJournal keeps days from 1 January 2000 on.")
        if start and end and end < start and "end" not in self.errors:
            self.add_error("end", "The end date is before the start date.")

    def save(self):
        """(link, token), token None when this form was already sent (see create_link); None,
        with the form's error, when the person has as many links as they may keep."""
        data = self.cleaned_data
        try:
            return ShareLink.objects.create_link(
                self.user,
                label=data["label"],
                period=data["period"],
                start=data["start"],
                end=data["end"],
                notes=data["notes"],
                expires_days=data["expires_days"],
                key=data["submission_key"],
            )
        except TooManyLinks:
            self.add_error(
                None,
                f"You have {MAX_LINKS} links, the most you can keep. Revoked and expired links "
                f"are deleted {KEPT_AFTER_END.days} days after they end; revoke one you no "
                "longer need, then try again.",
            )
            return None
