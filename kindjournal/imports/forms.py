from django import forms
from django.template.defaultfilters import filesizeformat

from kindjournal.imports.common import UnreadableFile
from kindjournal.imports.daylio import key
from kindjournal.imports.formats import sniff
from kindjournal.journal.forms import MOOD_CHOICES
from kindjournal.journal.models import ActCategory

MAX_UPLOAD_MB = 5
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024


class UploadForm(forms.Form):
    """Step 1 of /import/: the file. Its text is checked here and kept as `source`."""

    file = forms.FileField(
        label="CSV file",
        help_text=f"A Daylio CSV export or a KindJournal CSV, up to {MAX_UPLOAD_MB} MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={
            "required": "Choose the CSV file to import.",
            "empty": "The file is empty. Choose the CSV file you exported.",
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"This file is {filesizeformat(upload.size)}; files up to "
                f"{MAX_UPLOAD_MB} MB can be imported here. Export a shorter "
                "period, or ask whoever runs your KindJournal to use the import_journal command."
            )
        try:
            self.source = sniff(upload.read())
        except UnreadableFile as error:
            raise forms.ValidationError(str(error)) from None
        return upload


class MappingForm(forms.Form):
    """Step 2, the preview: a 1-10 value for each Daylio mood name, which Daylio activities were
    acts of kindness (and their kind), and whether to overwrite days already in the journal.

    Fields are numbered in the order of `moods` and `activities`, which come from the file kept
    on the server, so the same file always gives the same field names.
    """

    overwrite = forms.BooleanField(
        required=False,
        widget=forms.CheckboxInput(
            attrs={"class": "form-check-input", "aria-describedby": "overwrite-help"}
        ),
        label="Overwrite days that already exist",
        help_text="Their mood and note are replaced by the file's, and the file's acts are added "
        "to theirs. Unticked, those days are left exactly as they are.",
    )

    def __init__(self, *args, moods=(), activities=(), **kwargs):
        """`moods` and `activities` are [(key, name, entries)]."""
        super().__init__(*args, **kwargs)
        self.moods, self.activities = list(moods), list(activities)
        for number, (_, name, entries) in enumerate(self.moods):
            self.fields[f"mood_{number}"] = forms.TypedChoiceField(
                choices=[("", "Choose…"), *MOOD_CHOICES],
                coerce=int,
                label=name,
                widget=forms.Select(attrs={"class": "form-select"}),
                help_text=_entries(entries),
                error_messages={"required": f"Choose a value from 1 to 10 for “{name}”."},
            )
        for number, (_, name, entries) in enumerate(self.activities):
            self.fields[f"kind_{number}"] = forms.BooleanField(
                required=False,
                label=name,
                help_text=_entries(entries),
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )
            self.fields[f"category_{number}"] = forms.ChoiceField(
                choices=ActCategory.choices,
                label=f"Kind of act for “{name}”",
                widget=forms.Select(attrs={"class": "form-select"}),
            )

    @classmethod
    def initial_for(cls, moods, activities, mood_map, kind_activities):
        """Initial values: the proposed mood values, the ticked activities and their kinds."""
        initial = {}
        for number, (mood, _, _) in enumerate(moods):
            initial[f"mood_{number}"] = mood_map.get(mood)
        for number, (activity, name, _) in enumerate(activities):
            initial[f"kind_{number}"] = activity in kind_activities
            initial[f"category_{number}"] = kind_activities.get(activity) or guess_category(name)
        return initial

    def mood_fields(self):
        return [self[f"mood_{number}"] for number in range(len(self.moods))]

    def activity_fields(self):
        return [
            (self[f"kind_{number}"], self[f"category_{number}"])
            for number in range(len(self.activities))
        ]

    def mood_map(self):
        return {
            mood: self.cleaned_data[f"mood_{number}"]
            for number, (mood, _, _) in enumerate(self.moods)
        }

    def kind_activities(self):
        return {
            activity: self.cleaned_data[f"category_{number}"]
            for number, (activity, _, _) in enumerate(self.activities)
            if self.cleaned_data[f"kind_{number}"]
        }


def guess_category(activity_name):
    """The category whose value or label is the activity's name ("Volunteering"), else other."""
    for value, label in ActCategory.choices:
        if key(activity_name) in (value, key(str(label))):
            return value
    return ActCategory.OTHER


def _entries(count):
    return f"{count} {'entry' if count == 1 else 'entries'}"
