from django import forms

# Milliseconds since 1970 (JavaScript's Date.now()); the upper bound is the year 5138.
MAX_EPOCH_MS = 10**14


class QueuedEntryForm(forms.Form):
    """What the device sends with each entry it kept offline (static/js/queue.js); the mood or
    act itself is checked by the journal's own MoodForm and ActForm."""

    KINDS = [("mood", "mood"), ("act", "act")]

    key = forms.UUIDField(error_messages={"required": "The entry has no key."})
    kind = forms.ChoiceField(choices=KINDS)
    date = forms.DateField(input_formats=["%Y-%m-%d"])
    account = forms.IntegerField()
    made_at = forms.IntegerField(min_value=0, max_value=MAX_EPOCH_MS)
    sent_at = forms.IntegerField(min_value=0, max_value=MAX_EPOCH_MS)
