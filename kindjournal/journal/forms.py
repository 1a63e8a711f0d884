import uuid

from django import forms

from kindjournal.journal.models import (
    MOOD_MAX,
    MOOD_MIN,
    NOTE_MAX_LENGTH,
    KindnessAct,
)

MOOD_CHOICES = [(value, str(value)) for value in range(MOOD_MIN, MOOD_MAX + 1)]


class NoteField(forms.CharField):
    """Free text kept exactly as typed, except that line breaks are stored as "\\n".

    Browsers send a textarea's line breaks as CRLF but count each as one character against
    `maxlength`; normalising first makes the server count the same way.
    """

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n")


class MoodForm(forms.Form):
    """The day's mood and note. Posted to /day/YYYY-MM-DD/ as `mood` and `note`."""

    mood = forms.TypedChoiceField(
        choices=MOOD_CHOICES,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
        label="How was your mood?",
        error_messages={
            "required": "Choose your mood from 1 (worst) to 10 (best).",
            "invalid_choice": "Mood is a whole number from 1 (worst) to 10 (best).",
        },
    )
    note = NoteField(
        required=False,
        max_length=NOTE_MAX_LENGTH,
        label="Note (private)",
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        # Keep the person's own words exactly, leading spaces and all.
        strip=False,
    )

    def scale(self):
        """[(mood, checked)] for the hand-written radios of journal/_mood_form.html."""
        current = str(self["mood"].value())
        return [(value, str(value) == current) for value, _ in MOOD_CHOICES]


class SubmissionKeyField(forms.UUIDField):
    """The form's one-time key (see KindnessAct.submission_key); a mangled key counts as none."""

    widget = forms.HiddenInput

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError:
            return None


class ActForm(forms.ModelForm):
    """One act of kindness. Posted to /day/YYYY-MM-DD/acts/ as `description` and `category`."""

    submission_key = SubmissionKeyField(required=False)

    class Meta:
        model = KindnessAct
        fields = ["description", "category"]
        labels = {"description": "What did you do?", "category": "Kind of act"}
        widgets = {
            "description": forms.TextInput(
                attrs={
                    "class": "form-control",
                    "placeholder": "e.g. Texted Sam to check in",
                    "autocomplete": "off",
                    "dir": "auto",
                }
            ),
            "category": forms.Select(attrs={"class": "form-select"}),
        }
        error_messages = {
            "description": {"required": "Describe what you did."},
            "category": {"invalid_choice": "Choose one of the listed kinds of act."},
        }

    def category_options(self):
        """[(value, label, selected)] for the hand-written select of journal/_acts.html."""
        current = str(self["category"].value())
        return [
            (value, label, value == current) for value, label in self.fields["category"].choices
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            # A fresh key per rendered form; see KindnessAct.submission_key.
            self.fields["submission_key"].initial = uuid.uuid4()
