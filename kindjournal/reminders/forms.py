import base64
import binascii
from typing import NamedTuple

from django import forms

from kindjournal.reminders.models import EMAIL_ADDRESS_MAX_LENGTH, ENDPOINT_MAX_LENGTH, mask_of
from kindjournal.reminders.push import endpoint_allowed

WEEKDAY_CHOICES = [
    (str(number), name)
    for number, name in enumerate(
        ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    )
]


NO_EMAIL_MESSAGE = (
    "This server cannot send e-mail, so reminders can only go as notifications on your devices."
)


class ReminderForm(forms.Form):
    """The /reminders/ contract: enabled, time (HH:MM), weekdays (0 Monday to 6 Sunday, repeated),
    email, skip_if_logged; and the address for e-mail reminders."""

    enabled = forms.BooleanField(required=False, label="Send me a daily reminder")
    time = forms.TimeField(
        label="At",
        input_formats=["%H:%M"],
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="Your local time, as HH:MM (your time zone is set in Settings).",
        error_messages={
            "required": "Enter a time, such as 20:00.",
            "invalid": "Enter a time as HH:MM, such as 20:00.",
        },
    )
    weekdays = forms.MultipleChoiceField(
        label="On",
        choices=WEEKDAY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one day of the week.",
            "invalid_choice": "Choose days from the list.",
        },
    )
    email = forms.BooleanField(required=False, label="By e-mail")
    address = forms.EmailField(
        required=False,
        max_length=EMAIL_ADDRESS_MAX_LENGTH,
        label="E-mail address for reminders",
        help_text="We send a link to confirm it first; no reminder goes to an address until then.",
    )
    skip_if_logged = forms.BooleanField(
        required=False, label="Skip the reminder on days I have already logged"
    )

    def __init__(self, *args, reminder, account_email="", email_possible=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.reminder = reminder
        self.account_email = account_email
        # A server that cannot send e-mail (PASSWORD_RESET_BY_EMAIL off) offers neither field;
        # the address already saved stays as it is.
        self.email_possible = email_possible
        if not email_possible:
            del self.fields["address"]
        self.initial.update(
            {
                "enabled": reminder.enabled,
                "time": reminder.time,
                "weekdays": [str(day) for day in sorted(reminder.weekday_set)],
                "email": reminder.email,
                # A new reminder starts from the account's address; a saved one shows its own,
                # blank when the person cleared it.
                "address": reminder.email_address if reminder.pk else account_email,
                "skip_if_logged": reminder.skip_if_logged,
            }
        )

    def clean(self):
        cleaned = super().clean()
        if not self.email_possible:
            if cleaned.get("email") and not self.reminder.email:
                self.add_error("email", NO_EMAIL_MESSAGE)
            # Not offered, so not posted: the channel stays as the person left it, and their
            # e-mail reminders come back once the server can send mail again.
            cleaned["email"] = self.reminder.email
            cleaned["address"] = self.reminder.email_address
        elif cleaned.get("email") and not cleaned.get("address") and "address" not in self.errors:
            self.add_error("address", "Enter the address to send reminders to.")
        return cleaned

    def apply(self):
        """Copy the settings onto the reminder (not saved); what changed, for the view to save
        and to mail a confirmation for."""
        data, reminder = self.cleaned_data, self.reminder
        email_turned_on = data["email"] and not reminder.email
        reminder.enabled = data["enabled"]
        reminder.time = data["time"]
        reminder.weekdays = mask_of(data["weekdays"])
        reminder.email = data["email"]
        reminder.skip_if_logged = data["skip_if_logged"]
        address_changed = reminder.set_address(data["address"])
        # A link goes out when e-mail reminders start waiting for one: a new address, or the
        # channel ticked for one not confirmed yet. Re-saving while waiting sends nothing
        # more (the page's "Send the confirmation again" does).
        confirm = reminder.awaits_confirmation and (address_changed or email_turned_on)
        return AppliedSettings(address_changed, confirm)


class AppliedSettings(NamedTuple):
    address_changed: bool
    send_confirmation: bool


class DeviceForm(forms.Form):
    """A browser's push subscription, as static/js/reminders.js posts it (PushSubscription's
    toJSON(): endpoint, keys.p256dh, keys.auth)."""

    endpoint = forms.URLField(max_length=ENDPOINT_MAX_LENGTH, assume_scheme="https")
    p256dh = forms.CharField(max_length=100)
    auth = forms.CharField(max_length=50)

    def clean_endpoint(self):
        endpoint = self.cleaned_data["endpoint"]
        if not endpoint_allowed(endpoint):
            raise forms.ValidationError("This browser's push service is not one we send to.")
        return endpoint

    def clean_p256dh(self):
        # An uncompressed P-256 point: 65 bytes starting with 4.
        return _base64url(self.cleaned_data["p256dh"], lambda raw: len(raw) == 65 and raw[0] == 4)

    def clean_auth(self):
        return _base64url(self.cleaned_data["auth"], lambda raw: len(raw) == 16)


def _base64url(text, valid):
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raw = b""
    if not valid(raw):
        raise forms.ValidationError("The browser sent a subscription key we cannot use.")
    return text
