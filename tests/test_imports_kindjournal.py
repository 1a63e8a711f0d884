"""Reading KindJournal's own CSV (what /export/csv/ writes) back into days and acts."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kindjournal.imports import formats
from kindjournal.imports.common import UnreadableFile
from kindjournal.imports.services import category_labels
from kindjournal.journal.models import DayEntry, KindnessAct
from tests.imports_helpers import LIMITS

D = datetime.date
HEADER = "date,weekday,mood,acts_count,acts,recorded_on"


def kindjournal_file(*rows, notes=True):
    header = HEADER + (",note" if notes else "")
    return ("\ufeff" + "\r\n".join([header, *rows]) + "\r\n").encode()


def parse(data):
    return formats.parse(formats.sniff(data), LIMITS, category_labels())


def test_a_file_with_notes_gives_back_days_acts_recorded_on_and_exact_notes(db):
    parsed = parse(
        kindjournal_file(
            '2026-03-01,Sunday,7,2,"Volunteering: Food bank, 2 hours; Gift or flowers: Tulips '
            'for Mum",2026-03-02,"Long day.\r\nGood, though ""really"""',
            "2026-03-02,Monday,,1,Listening: Heard Jo out; no advice; just tea,,",
            "2026-03-03,Tuesday,3,0,,2026-03-03,'=SUM(A1:A3) is what I typed",
            "2026-03-04,Wednesday,5,1,Other: '- a list item,2026-03-09,''+1 kept its quote",
        )
    )
    assert parsed.layout == "KindJournal CSV with notes"
    assert parsed.problems == []
    assert [(d.date, d.mood, d.note, d.recorded_on, d.acts) for d in parsed.days] == [
        (
            D(2026, 3, 1),
            7,
            'Long day.\r\nGood, though "really"',
            D(2026, 3, 2),
            [("volunteering", "Food bank, 2 hours"), ("gift", "Tulips for Mum")],
        ),
        # "; " not followed by a category label stays inside the description.
        (D(2026, 3, 2), None, "", None, [("listening", "Heard Jo out; no advice; just tea")]),
        (D(2026, 3, 3), 3, "=SUM(A1:A3) is what I typed", D(2026, 3, 3), []),
        (D(2026, 3, 4), 5, "'+1 kept its quote", D(2026, 3, 9), [("other", "'- a list item")]),
    ]


def test_acts_count_1_reads_a_description_holding_a_category_label_as_one_act(db):
    # What the export writes for one act described "Called Sam; Listening: an hour".
    parsed = parse(
        kindjournal_file("2026-03-01,Sunday,5,1,Other: Called Sam; Listening: an hour,2026-03-01,")
    )
    assert parsed.problems == []
    assert parsed.days[0].acts == [("other", "Called Sam; Listening: an hour")]


def test_a_file_without_the_note_column_is_read_too(db):
    parsed = parse(
        kindjournal_file("2026-03-01,Sunday,7,1,Meal or food: Soup for Ann,2026-03-01", notes=False)
    )
    assert parsed.layout == "KindJournal CSV"
    assert [(d.date, d.mood, d.note, d.acts) for d in parsed.days] == [
        (D(2026, 3, 1), 7, "", [("meal", "Soup for Ann")])
    ]


def test_every_bad_row_is_listed_with_its_line(db):
    parsed = parse(
        kindjournal_file(
            "2026-03-01,Sunday,7,0,,2026-03-01,",
            "2026-02-30,Monday,7,0,,2026-03-01,",
            "2026-03-03,Tuesday,11,0,,2026-03-03,",
            "2026-03-04,Wednesday,6,1,Hugs: a long one,2026-03-04,",
            "2026-03-05,Thursday,6,2,Gift or flowers: Tulips,2026-03-05,",
            "2026-03-01,Sunday,7,0,,2026-03-01,",
            "2026-03-07,Saturday,,0,,,a note without a mood",
            "2026-03-08,Sunday,5,0,,yesterday,",
            "2026-03-09,Monday,5,0",
            "2026-03-10,Tuesday,²,0,,2026-03-10,",
            "2026-03-11,Wednesday,5,²,Other: Soup,2026-03-11,",
            "2026-03-12,Thursday,,0,,2026-03-12,",
            "2026-03-13,Friday,5,0,,2026-03-12,",
            "2026-03-14,Saturday,5,0,,2026-07-01,",
            "2026-03-15,Sunday,5,2,Other: a; Listening: b; Gift or flowers: c,2026-03-15,",
            "2026-03-16,Monday,5,0,Other: Soup,2026-03-16,",
        )
    )
    assert [str(problem) for problem in parsed.problems] == [
        "Line 3: the date “2026-02-30” is not a date written like 2026-03-31.",
        "Line 4: the mood “11” is not a whole number from 1 to 10.",
        "Line 5: “Hugs” is not a category label KindJournal knows.",
        "Line 6: acts_count is “2” but the acts cell holds 1 act.",
        "Line 7: 2026-03-01 is already on line 2.",
        "Line 8: there is a note but no mood; KindJournal keeps a note with the day's mood.",
        "Line 9: recorded_on “yesterday” is not a date written like 2026-03-31.",
        "Line 10: expected 7 cells, found 4.",
        # Digits other than 0-9 ("²" passes str.isdigit) are refused, not a crash.
        "Line 11: the mood “²” is not a whole number from 1 to 10.",
        "Line 12: acts_count is “²” but the acts cell holds 1 act.",
        "Line 13: there is neither a mood nor an act on this day.",
        "Line 14: recorded_on 2026-03-12 is before the day itself; a day is recorded on its "
        "date or later.",
        "Line 15: recorded_on 2026-07-01 is in the future.",
        "Line 16: acts_count is “2” but the acts cell holds 3 acts; a description holds “; ” "
        "before a category label, so where each act ends is unclear.",
        "Line 17: acts_count is “0” but the acts cell holds 1 act.",
    ]
    assert [day.date for day in parsed.days] == [D(2026, 3, 1)]


def test_a_kindjournal_file_imports_through_the_page_without_a_mapping(owner_client, owner):
    data = kindjournal_file(
        "2026-03-01,Sunday,7,2,Volunteering: Food bank; Volunteering: Food bank,2026-03-02,Hi",
        "2026-03-02,Monday,,1,Listening: Heard Jo out,,",
    )
    response = owner_client.post(
        reverse("imports:upload"), {"file": SimpleUploadedFile("kj.csv", data, "text/csv")}
    )
    page = owner_client.get(response.url)
    html = page.content.decode()
    assert "KindJournal CSV with notes" in html and "Moods" not in html
    assert 'data-count="new-days">2<' in html and 'data-count="acts">3<' in html
    owner_client.post(response.url, {"confirm": "1"})
    assert list(DayEntry.objects.values_list("date", "mood", "note", "recorded_on")) == [
        (D(2026, 3, 1), 7, "Hi", D(2026, 3, 2))
    ]
    # Two equal acts on one day in the file stay two.
    assert list(KindnessAct.objects.values_list("date", "category", "description")) == [
        (D(2026, 3, 1), "volunteering", "Food bank"),
        (D(2026, 3, 1), "volunteering", "Food bank"),
        (D(2026, 3, 2), "listening", "Heard Jo out"),
    ]


@pytest.mark.parametrize("header", ["date,weekday,mood", "date,weekday,mood,acts_count,acts"])
def test_a_partial_kindjournal_header_is_not_taken_for_the_format(header, db):
    with pytest.raises(UnreadableFile, match="The first line is not the header"):
        formats.sniff(f"{header}\n2026-03-01,Sunday,7\n".encode())
