from django import forms
from django.core.exceptions import ValidationError

from kindjournal.journal.models import BEFORE_FIRST_DATE, FIRST_DATE
from kindjournal.journal.periods import last_days

DATE_MESSAGE = "Enter the date as YYYY-MM-DD, for example 2025-03-14."
# What `notes` may be in a URL: the checkbox sends "1"; absent or "0" leaves notes out.
NOTES_VALUES = ("", "0", "1")


def date_field(label):
    return forms.DateField(
        label=label,
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": DATE_MESSAGE},
    )


class ExportRangeForm(forms.Form):
    """`start`, `end` and `notes` of /export/csv/ and /export/report/ (bound to the query string).

    An empty date means "from the first logged day" or "to today"; `cleaned_data` keeps it None
    and `dates(first_logged)` turns it into dates.
    """

    start = date_field("From")
    end = date_field("To")
    notes = forms.BooleanField(
        label="Include private notes",
        required=False,
        help_text="Notes are the most private part of your journal: include them only if you "
        "want to share them.",
        widget=forms.CheckboxInput(attrs={"value": "1"}),
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        for name in ("start", "end"):
            self.fields[name].widget.attrs.update(min=FIRST_DATE.isoformat(), max=today.isoformat())

    def clean_notes(self):
        # The raw value, since a checkbox widget reads any text (even "0") as ticked.
        raw = self.data.get(self.add_prefix("notes"), "")
        if raw not in NOTES_VALUES:
            raise ValidationError("Use notes=1 to include notes, or leave it out.")
        return raw == "1"

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        for name, value in (("start", start), ("end", end)):
            if value is None:
                continue
            if value > self.today:
                self.add_error(name, "That date is in the future: choose today or earlier.")
            elif value < FIRST_DATE:
                self.add_error(name, BEFORE_FIRST_DATE)
        if start and end and end < start:
            self.add_error("end", "The end date is before the start date.")
        return cleaned

    def dates(self, first_logged):
        """(start, end) to export. An open start is `first_logged()`, the first logged day
        (called only then: it costs a query), or today when nothing is logged yet."""
        start = self.cleaned_data["start"] or first_logged() or self.today
        end = self.cleaned_data["end"] or self.today
        return min(start, end), end

    def error_text(self):
        """All errors as plain text lines, for a 400 response."""
        return "\n".join(
            f"{name}: {message}" for name, messages in self.errors.items() for message in messages
        )


class ExportForm(ExportRangeForm):
    """The /export/ page: a period (a preset or dates the person chooses) and the notes box.

    A preset overrides the date boxes, so the page also works without JavaScript
    (static/js/export.js only fills the boxes in as a preview).
    """

    period = forms.ChoiceField(
        label="Period",
        choices=[
            ("30", "Last 30 days"),
            ("90", "Last 90 days"),
            ("all", "Everything"),
            ("dates", "Dates I choose"),
        ],
        initial="30",
        widget=forms.RadioSelect,
    )
    field_order = ["period", "start", "end", "notes"]

    def __init__(self, data=None, *, today, **kwargs):
        presets = preset_dates(today)
        if data is not None:
            data = data.copy()
            preset = presets.get(data.get("period"))
            if preset is not None:
                data["start"], data["end"] = (day.isoformat() if day else "" for day in preset)
        super().__init__(data, today=today, **kwargs)
        self.initial.setdefault("start", presets["30"][0])
        self.initial.setdefault("end", today)

    def preset_previews(self, first_logged):
        """{preset: (start, end)} with "all" spelled out, for static/js/export.js."""
        return {
            preset: (start or first_logged or self.today, end or self.today)
            for preset, (start, end) in preset_dates(self.today).items()
        }

    def query(self):
        """The query string of the export this form asks for."""
        params = {
            name: self.cleaned_data[name].isoformat()
            for name in ("start", "end")
            if self.cleaned_data[name]
        }
        if self.cleaned_data["notes"]:
            params["notes"] = "1"
        return params


def preset_dates(today):
    """{preset: (start, end)}; "all" is open at both ends (the export fills in the dates)."""
    return {
        "30": last_days(30, today),
        "90": last_days(90, today),
        "all": (None, None),
    }
