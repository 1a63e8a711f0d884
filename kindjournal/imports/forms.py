from typing import NamedTuple

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html

from kindjournal.imports import sizes
from kindjournal.imports.common import EMPTY_FILE, UnreadableFile, decode
from kindjournal.imports.daylio import key
from kindjournal.imports.formats import recognise, require_rows
from kindjournal.imports.services import category_labels
from kindjournal.journal.forms import MOOD_CHOICES, options_html
from kindjournal.journal.models import ActCategory

MAX_UPLOAD_MB = 5
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
MOOD_OPTIONS = (("", "Choose…"), *MOOD_CHOICES)
CATEGORY_OPTIONS = tuple(ActCategory.choices)


class UploadForm(forms.Form):
    """Step 1 of /import/: the file. Its text is checked here and kept as `source`."""

    file = forms.FileField(
        label="CSV file",
        help_text=f"A Daylio CSV export or a KindJournal CSV, up to {MAX_UPLOAD_MB} MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={
            "required": "Choose the CSV file to import.",
            "empty": EMPTY_FILE,
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
            source = recognise(decode(upload.read()))
            # Before looking for a first entry, which reads a file of blank lines to its end:
            # the refusal stops after as many rows as it allows, blank ones included.
            if refusal := sizes.refusal(source, sizes.read_rows(source), category_labels()):
                raise forms.ValidationError(refusal)
            self.source = require_rows(source)
        except UnreadableFile as error:
            raise forms.ValidationError(str(error)) from None
        return upload


class MappingForm(forms.Form):
    """Step 2, the preview: a 1-10 value for each Daylio mood name, which Daylio activities were
    acts of kindness (and their kind), and whether to overwrite days already in the journal.

    Fields are numbered in the order of the parsed file's moods and activities, which come from
    the file kept on the server, so the same file always gives the same field names.
    """

    # Sent besides the mappings: the CSRF token, the pressed button and the overwrite tick.
    # With sizes.MOODS_PER_FILE and ACTIVITIES_PER_FILE, the largest form is 653 fields, within
    # Django's DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000; a test keeps them in step).
    OTHER_FIELDS = 3

    overwrite = forms.BooleanField(
        required=False,
        widget=forms.CheckboxInput(
            attrs={"class": "form-check-input", "aria-describedby": "overwrite-help"}
        ),
        label="Overwrite days that already exist",
        help_text="Their mood and note are replaced by the file's, and the file's acts are added "
        "to theirs. Unticked, those days are left exactly as they are.",
    )

    def __init__(self, data=None, *, pending, parsed, overwrite=False):
        """For the upload `pending`, parsed with its stored mapping into `parsed`."""
        self.pending, self.parsed = pending, parsed
        self.moods, self.activities = parsed.moods, parsed.activities
        super().__init__(data, initial={**self._initial(), "overwrite": overwrite})
        for number, (_, name, entries) in enumerate(self.moods):
            self.fields[f"mood_{number}"] = forms.TypedChoiceField(
                choices=MOOD_OPTIONS,
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
                choices=CATEGORY_OPTIONS,
                label=f"Kind of act for “{name}”",
                widget=forms.Select(attrs={"class": "form-select"}),
            )

    def _initial(self):
        """The proposed mood values, the ticked activities and their kinds."""
        kinds = self.pending.kind_activities
        initial = {}
        for number, (mood, _, _) in enumerate(self.moods):
            initial[f"mood_{number}"] = self.parsed.proposed_moods.get(mood)
        for number, (activity, name, _) in enumerate(self.activities):
            initial[f"kind_{number}"] = activity in kinds
            initial[f"category_{number}"] = kinds.get(activity) or guess_category(name)
        return initial

    # The largest file's form has 650 fields: rendering them through Django's widget templates
    # took a fifth of its preview's time (bench/bench_import.py). imports/preview.html writes
    # out these rows instead, the same markup. Each help text is inside its label, so only an
    # error is tied to its control with aria-describedby.

    def mood_rows(self):
        """A MappingRow (its control a <select>) per mood, in field order."""
        return [
            self._row(f"mood_{number}", _select, MOOD_OPTIONS) for number in range(len(self.moods))
        ]

    def activity_rows(self):
        """(MappingRow of the kind tick, MappingRow of its category select) per activity."""
        return [
            (
                self._row(f"kind_{number}", _checkbox),
                self._row(f"category_{number}", _select, CATEGORY_OPTIONS),
            )
            for number in range(len(self.activities))
        ]

    def _row(self, name, control, *choices):
        field = self[name]
        described = (
            format_html(' aria-describedby="{}_error" aria-invalid="true"', field.auto_id)
            if field.errors
            else ""
        )
        return MappingRow(
            field.auto_id,
            field.label,
            field.help_text,
            control(field, described, *choices),
            field.errors,
        )

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

    def save_mapping(self):
        """Keep changed choices with the upload; whether they differ from the previewed ones,
        which means the person must see the preview again before anything is imported."""
        mood_map, kind_activities = self.mood_map(), self.kind_activities()
        previewed = (self.parsed.proposed_moods, self.pending.kind_activities)
        if (mood_map, kind_activities) == previewed:
            return False
        self.pending.mood_map, self.pending.kind_activities = mood_map, kind_activities
        self.pending.save(update_fields=["mood_map", "kind_activities"])
        return True

    def preview_url(self):
        # Keeps the tick across the reload; the preview shows both outcomes anyway.
        overwrite = "?overwrite=1" if self.cleaned_data["overwrite"] else ""
        return self.pending.get_absolute_url() + overwrite


class MappingRow(NamedTuple):
    """One input of the mapping form as imports/preview.html writes it out."""

    id: str  # the control's; its errors are under id + "_error" (imports/_field_errors.html)
    label: str
    help_text: str
    control: str  # HTML
    errors: list


def _select(field, described, choices):
    # As Django's Select renders it: the value shown is the posted one on a bound form, else
    # the initial one (one that is none of the choices selects nothing), and `required` only
    # where the first choice is the empty "Choose…".
    value = field.value()
    shown = "" if value is None else str(value)
    selected = next((choice for choice, _ in choices if str(choice) == shown), None)
    return format_html(
        '<select name="{}" class="form-select"{}{} id="{}">\n{}\n</select>',
        field.html_name,
        " required" if field.field.required and choices[0][0] == "" else "",
        described,
        field.auto_id,
        options_html(choices, selected),
    )


def _checkbox(field, described):
    return format_html(
        '<input type="checkbox" name="{}" class="form-check-input"{} id="{}"{}>',
        field.html_name,
        described,
        field.auto_id,
        " checked" if field.value() else "",
    )


def guess_category(activity_name):
    """The category whose value or label is the activity's name ("Volunteering"), else other."""
    for value, label in ActCategory.choices:
        if key(activity_name) in (value, key(str(label))):
            return value
    return ActCategory.OTHER


def _entries(count):
    return f"{count} {'entry' if count == 1 else 'entries'}"
