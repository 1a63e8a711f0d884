import functools
import uuid

from django import forms
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from kindjournal.journal.encryption import validate_encodable
from kindjournal.journal.models import (
    MOOD_MAX,
    MOOD_MIN,
    NOTE_MAX_LENGTH,
    KindnessAct,
)

MOOD_CHOICES = [(value, str(value)) for value in range(MOOD_MIN, MOOD_MAX + 1)]


class TextOnlyField(forms.CharField):
    """A CharField that takes text only. A page's form always posts text, but JSON (what a
    device sends to /offline/send/) can carry a number, a list or an object, which CharField
    would store as its Python repr ("[1]")."""

    default_error_messages = {"not_text": "This must be text."}

    def to_python(self, value):
        if value is not None and not isinstance(value, str):
            raise forms.ValidationError(self.error_messages["not_text"], code="not_text")
        return super().to_python(value)


class NoteField(TextOnlyField):
    """Free text kept exactly as typed, except that line breaks are stored as "\\n".

    Browsers send a textarea's line breaks as CRLF but count each as one character against
    `maxlength`; normalising first makes the server count the same way.
    """

    # As the act's description gets it from its model field (EncryptedTextField); a plain
    # form's field has no model field to run it.
    default_validators = [validate_encodable]

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
        error_messages={"not_text": "The note must be text."},
    )

    def scale(self):
        """The radios of journal/_mood_form.html's mood scale, as HTML."""
        current = str(self["mood"].value())
        checked = next((value for value, label in MOOD_CHOICES if label == current), None)
        return _scale_html(checked, invalid=bool(self["mood"].errors))


# Today's mood scale and category select are the same markup for everyone but for which one is
# chosen: built once per choice here, because rendering them through the template engine (or
# Django's widget templates) on every request was most of the Today page's own cost.


@functools.cache
def _scale_html(checked, invalid):
    # Only the app's own constants go in: the moods 1 to 10 and fixed attributes.
    last = len(MOOD_CHOICES) - 1
    ends = {
        0: '<span class="visually-hidden"> (worst)</span>',
        last: '<span class="visually-hidden"> (best)</span>',
    }
    attributes = ' aria-invalid="true"' if invalid else ""
    radios = [
        f'<input type="radio" name="mood" value="{value}" class="btn-check" id="id_mood_{index}"'
        f" required{' checked' if value == checked else ''}{attributes}>\n"
        f'<label class="btn btn-outline-primary" for="id_mood_{index}">{value}'
        f"{ends.get(index, '')}</label>"
        for index, (value, _) in enumerate(MOOD_CHOICES)
    ]
    return mark_safe("\n".join(radios))  # noqa: S308  # nosec B308 B703


@functools.cache
def options_html(choices, selected):
    """The <option>s of a select of `choices` (a tuple of (value, label)), `selected` chosen.

    Cached per pair, so `selected` must be one of the values or None (never a value posted
    as is). Also the import page's mapping selects (kindjournal/imports/forms.py).
    """
    return format_html_join(
        "\n",
        '<option value="{}"{}>{}</option>',
        ((value, " selected" if value == selected else "", label) for value, label in choices),
    )


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
        field_classes = {"description": TextOnlyField}
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
            "description": {
                "required": "Describe what you did.",
                "not_text": "The description must be text.",
            },
            "category": {"invalid_choice": "Choose one of the listed kinds of act."},
        }

    def category_options(self):
        """The <option>s of journal/_acts.html's category select, as HTML."""
        current = str(self["category"].value())
        choices = tuple(self.fields["category"].choices)
        return options_html(choices, next((v for v, _ in choices if v == current), None))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            # A fresh key per rendered form; see KindnessAct.submission_key.
            self.fields["submission_key"].initial = uuid.uuid4()
