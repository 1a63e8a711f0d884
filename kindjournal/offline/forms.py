import datetime

from django import forms

# A device's clock can be wrong (a phone whose battery ran flat may say 1970), but not by
# centuries: readings between 1970 and 2100, in milliseconds (JavaScript's Date.now()), are
# taken as clock readings; anything else cannot be one and is refused before any arithmetic.
CLOCK_MIN_MS = 0
CLOCK_MAX_MS = int(datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC).timestamp() * 1000)
CLOCK_PROBLEM = "This device's clock gave a time that cannot be right: check its date and time."


class DeviceDateField(forms.DateField):
    """The local date an entry belongs to, as the device writes it: "YYYY-MM-DD" text only."""

    def to_python(self, value):
        if value not in self.empty_values and not isinstance(value, str):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


def clock_field():
    return forms.IntegerField(
        min_value=CLOCK_MIN_MS,
        max_value=CLOCK_MAX_MS,
        error_messages={
            "invalid": CLOCK_PROBLEM,
            "min_value": CLOCK_PROBLEM,
            "max_value": CLOCK_PROBLEM,
        },
    )


class QueuedEntryForm(forms.Form):
    """What the device sends with each entry it kept offline (static/js/queue.js); the mood or
    act itself is checked by the journal's own MoodForm and ActForm."""

    KINDS = [("mood", "mood"), ("act", "act")]

    key = forms.UUIDField(error_messages={"required": "The entry has no key."})
    kind = forms.ChoiceField(choices=KINDS)
    date = DeviceDateField(input_formats=["%Y-%m-%d"])
    account = forms.IntegerField()
    made_at = clock_field()
    sent_at = clock_field()

    def problem(self):
        """What the person is told about an entry this form refused."""
        errors = self.errors.as_data()
        if "made_at" in errors or "sent_at" in errors:
            return CLOCK_PROBLEM
        return "It could not be read."
