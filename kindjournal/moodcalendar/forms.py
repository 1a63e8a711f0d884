from django import forms

from kindjournal.journal.models import FIRST_DATE


class CalendarForm(forms.Form):
    """The calendar's query string: `year` (default this year) and, for the one-month view on
    a phone, `month` (default this month in this year, January in another)."""

    year = forms.IntegerField(
        required=False,
        min_value=FIRST_DATE.year,
        error_messages={
            "invalid": "Choose a year as a number, such as 2026.",
            "min_value": f"KindJournal keeps days from {FIRST_DATE.year} on.",
        },
    )
    month = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=12,
        error_messages={
            "invalid": "Choose a month as a number from 1 to 12.",
            "min_value": "Choose a month as a number from 1 to 12.",
            "max_value": "Choose a month as a number from 1 to 12.",
        },
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["year"].validators.append(_not_after(today.year))

    def chosen(self):
        """(year, month) to show; call after is_valid()."""
        year = self.cleaned_data["year"] or self.today.year
        month = self.cleaned_data["month"]
        if month is None:
            month = self.today.month if year == self.today.year else 1
        return year, month


def _not_after(this_year):
    def validate(value):
        if value is not None and value > this_year:
            raise forms.ValidationError(
                f"{value} hasn't started yet: the calendar goes up to {this_year}."
            )

    return validate
