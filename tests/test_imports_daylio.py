"""Reading Daylio's CSV export: the three layouts, their quirks and the mood/activity mapping."""

import datetime
import re

import pytest

from kindjournal.imports import daylio, formats
from kindjournal.imports.common import UnreadableFile
from tests.imports_helpers import LIMITS, daylio_file, daylio_row, sample

D = datetime.date


def parse(data, mood_map=None, kind_activities=None):
    return formats.parse(formats.sniff(data), LIMITS, {}, mood_map, kind_activities)


def summary(days):
    return [(day.date, day.mood, day.note, day.recorded_on, day.acts) for day in days]


def test_common_layout_with_bom_several_entries_a_day_and_pm_times():
    parsed = parse(
        sample("daylio_common.csv"),
        kind_activities={"volunteering": "volunteering", "Called Mom": "checkin"},
    )
    assert parsed.layout == "Daylio CSV export"
    assert parsed.problems == []
    assert summary(parsed.days) == [
        (D(2024, 3, 1), 1, "Couldn't sleep, again.", D(2024, 3, 1), []),
        # good (8) at 9:05 am and "meh " (5) at 22:13: 6.5 rounds half up to 7; the morning
        # entry's note comes first, then a blank line, then the evening's title and note.
        (
            D(2024, 3, 2),
            7,
            "Ran with Sam\nthen coffee\n\nEvening\nLong call, felt calmer",
            D(2024, 3, 2),
            [("volunteering", "volunteering"), ("checkin", "called mom")],
        ),
        (
            D(2024, 3, 3),
            8,
            "Food bank\nSorted tins for two hours",
            D(2024, 3, 3),
            [("volunteering", "volunteering")],
        ),
    ]


def test_newer_layout_with_scales_and_renamed_moods_in_another_language():
    raw = sample("daylio_newer.csv")
    unmapped = parse(raw)
    assert unmapped.layout == "Daylio CSV export (newer layout, with scales)"
    # Renamed moods are listed once each, trailing spaces gone, with no value proposed.
    assert unmapped.moods == [
        ("geht so", "geht so", 1),
        ("schlecht", "schlecht", 1),
        ("super", "super", 1),
    ]
    assert unmapped.proposed_moods == {"super": None, "geht so": None, "schlecht": None}
    assert [str(problem) for problem in unmapped.problems] == [
        "Line 2: the mood “super” has no value from 1 to 10.",
        "Line 3: the mood “geht so” has no value from 1 to 10.",
        "Line 4: the mood “schlecht” has no value from 1 to 10.",
    ]

    parsed = parse(
        raw,
        mood_map={"Super": 10, "geht so": 5, "SCHLECHT": 3},
        kind_activities={"ehrenamt": "volunteering"},
    )
    assert parsed.problems == []
    assert summary(parsed.days) == [
        # "12:10 am" is ten past midnight: older than the 11:59 am entry listed above it.
        (D(2025, 1, 11), 4, "Spät ins Bett\n\nSamstag", D(2025, 1, 11), []),
        (D(2025, 1, 12), 10, "", D(2025, 1, 12), [("volunteering", "Ehrenamt")]),
    ]


def test_older_layout_takes_the_date_from_year_and_day_month_either_way_round():
    parsed = parse(sample("daylio_older.csv"), kind_activities={"cook": "meal"})
    assert parsed.layout == "Daylio CSV export (older layout, with year and date)"
    assert parsed.problems == []
    assert summary(parsed.days) == [
        (D(2018, 5, 16), 3, "Did nothing today.", D(2018, 5, 16), []),
        (D(2018, 5, 17), 5, "", D(2018, 5, 17), [("meal", "cook")]),
        (D(2018, 5, 18), 10, "Went to a party", D(2018, 5, 18), [("meal", "cook")]),
    ]
    assert ("stressed", "stressed", 1) in parsed.activities  # "stressed " trimmed


def test_english_defaults_are_proposed_and_a_mood_map_extends_and_overrides_them():
    raw = daylio_file(
        daylio_row(D(2024, 1, 1), mood="rad"),
        daylio_row(D(2024, 1, 2), mood="Good "),
        daylio_row(D(2024, 1, 3), mood="meh"),
        daylio_row(D(2024, 1, 4), mood="bad"),
        daylio_row(D(2024, 1, 5), mood="awful"),
        daylio_row(D(2024, 1, 6), mood="fine"),
    )
    parsed = parse(raw, mood_map={"fine": 6, "rad": 9})
    assert parsed.proposed_moods == {
        "rad": 9,
        "good": 8,
        "meh": 5,
        "bad": 3,
        "awful": 1,
        "fine": 6,
    }
    assert [day.mood for day in parsed.days] == [9, 8, 5, 3, 1, 6]


@pytest.mark.parametrize(
    ("moods", "expected"),
    [([8, 5], 7), ([5, 5, 6], 5), ([1, 2], 2), ([3, 4, 4, 4], 4), ([10], 10), ([1, 1, 2, 2], 2)],
)
def test_a_days_mood_is_the_mean_of_its_entries_rounded_half_up(moods, expected):
    assert daylio.mean_rounded_half_up(moods) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("22:13", datetime.time(22, 13)),
        ("8:30 pm", datetime.time(20, 30)),
        ("8:30 PM", datetime.time(20, 30)),
        ("8:30pm", datetime.time(20, 30)),
        ("12:05 am", datetime.time(0, 5)),
        ("12:05 pm", datetime.time(12, 5)),
        ("7:45 a.m.", datetime.time(7, 45)),
        ("07:45:10", datetime.time(7, 45)),
        ("25:00", None),
        ("13:00 pm", None),
        ("evening", None),
        ("", None),
    ],
)
def test_times_are_read_in_both_clock_styles(text, expected):
    assert daylio.parse_time(text) == expected


def test_an_activity_named_on_two_entries_of_one_day_becomes_one_act():
    raw = daylio_file(
        daylio_row(D(2024, 1, 1), activities="gym | volunteering", time="8:00 am"),
        daylio_row(D(2024, 1, 1), activities="volunteering", time="9:00 pm"),
    )
    parsed = parse(raw, kind_activities={"volunteering": "volunteering"})
    assert parsed.days[0].acts == [("volunteering", "volunteering")]
    assert parsed.activities == [("volunteering", "volunteering", 2), ("gym", "gym", 1)]


def test_a_mood_without_a_value_is_one_problem_and_its_days_still_count_for_the_preview():
    raw = daylio_file(
        daylio_row(D(2024, 1, 1), mood="good"),
        daylio_row(D(2024, 1, 2), mood="Sparkly "),
        daylio_row(D(2024, 1, 3), mood="sparkly"),
        daylio_row(D(2024, 1, 3), mood="good"),
    )
    parsed = parse(raw)
    assert [str(problem) for problem in parsed.problems] == [
        "Line 3: the mood “Sparkly” has no value from 1 to 10. It is on 2 entries."
    ]
    assert [(day.date, day.mood) for day in parsed.days] == [
        (D(2024, 1, 1), 8),
        (D(2024, 1, 2), None),
        (D(2024, 1, 3), None),
    ]


def test_bad_rows_are_listed_by_line_and_no_day_is_kept_from_them():
    raw = daylio_file(
        daylio_row(D(2024, 1, 1)),
        "2024-13-01,x,x,20:00,good,,,",
        daylio_row(D(2024, 1, 3), time="teatime"),
        "2024-01-04,x,x,20:00,good",
        daylio_row(D(2024, 1, 5), mood="  "),
        daylio_row(D(2999, 1, 6)),
        daylio_row(D(1999, 12, 31)),
        daylio_row(D(2024, 1, 8), note="x" * 5001),
    )
    parsed = parse(raw)
    assert [str(problem) for problem in parsed.problems] == [
        "Line 3: “2024-13-01” is not a date Daylio writes.",
        "Line 4: the time “teatime” is not like 22:13 or 8:30 pm.",
        "Line 5: expected 8 cells, found 5.",
        "Line 6: the mood is empty.",
        "Line 7: the date 2999-01-06 cannot be imported. That day hasn't happened yet: you can "
        "log today or any day before it.",
        "Line 8: the date 1999-12-31 cannot be imported. KindJournal keeps days from 1 January "
        "2000 on.",
        "Line 9: the notes of 2024-01-08 are 5001 characters long; the most a day can keep "
        "is 5000.",
    ]
    assert [day.date for day in parsed.days] == [D(2024, 1, 1)]


def test_a_line_number_counts_the_line_breaks_inside_earlier_notes():
    raw = daylio_file(
        daylio_row(D(2024, 1, 1), note="one\ntwo\nthree"),
        daylio_row(D(2024, 1, 2), mood="sparkly"),
    )
    assert [str(problem) for problem in parse(raw).problems] == [
        "Line 5: the mood “sparkly” has no value from 1 to 10."
    ]


# A zero byte deep in a file, past the first 8 KB that the binary check looks at.
LATE_NUL = daylio_file(
    *[daylio_row(D(2024, 1, 1), note="x" * 100)] * 100, "2024-01-02,x,x,20:00,good,,,a\0b"
)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"  \r\n", "The file is empty."),
        (b"\xef\xbb\xbf", "The file is empty."),
        ("\r\n".encode("utf-16"), "The file is empty."),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00", "This is not a CSV file"),
        ("día,mood\n".encode("latin-1"), "This file is not UTF-8 text"),
        (b"\xff\xfeh\x00i", "This file starts like UTF-16 text but is not valid UTF-16."),
        (b"name,score\nsam,3\n", "The first line is not the header of a Daylio or KindJournal"),
        (
            daylio_file(daylio_row(D(2024, 1, 1))).replace(b",", b"\t").decode().encode("utf-16"),
            "The cells in this file are separated by tabs, not commas",
        ),
        (daylio_file(), "There are no days to import: the file has a header but no entries"),
        (daylio_file(",,,,,,,", " , ,,,,,,"), "There are no days to import"),
        (LATE_NUL, "Line 102 holds a zero byte (NUL), which is not text."),
    ],
)
def test_files_that_are_not_a_daylio_or_kindjournal_export_are_refused_with_a_reason(data, message):
    with pytest.raises(UnreadableFile, match=re.escape(message)):
        formats.sniff(data)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_file_with_its_byte_order_mark_reads_like_utf8(encoding):
    text = sample("daylio_common.csv").decode("utf-8-sig")
    # Python's "utf-16" writes the machine's byte order; the other two need the mark added.
    data = text.encode(encoding) if encoding == "utf-16" else ("\ufeff" + text).encode(encoding)
    assert data[:2] in (b"\xff\xfe", b"\xfe\xff")
    assert summary(parse(data).days) == summary(parse(sample("daylio_common.csv")).days)


def test_a_file_with_cr_only_line_ends_is_read_with_its_line_numbers():
    raw = daylio_file(
        daylio_row(D(2024, 1, 1), note="one\ntwo"), daylio_row(D(2024, 1, 2), mood="x")
    )
    parsed = parse(raw.replace(b"\n", b"\r"))
    assert [str(problem) for problem in parsed.problems] == [
        "Line 4: the mood “x” has no value from 1 to 10."
    ]
    assert summary(parsed.days) == [
        (D(2024, 1, 1), 8, "one\rtwo", D(2024, 1, 1), []),
        (D(2024, 1, 2), None, "", D(2024, 1, 2), []),
    ]


def test_an_unclosed_quote_is_a_line_numbered_problem_not_a_long_note():
    parsed = parse(
        daylio_file(
            daylio_row(D(2024, 1, 3)),
            '2024-01-02,x,x,20:00,good,,,"oops no closing quote',
            daylio_row(D(2024, 1, 1)),
        )
    )
    assert [str(problem) for problem in parsed.problems] == [
        'Line 3: a cell here starts with a quote (") that is never closed, so the rest of the '
        "file cannot be read."
    ]
    assert parsed.days == []


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("2024²,18 May,x,20:00,good,,", "Line 2: “2024² 18 May” is not a date Daylio writes."),
        ("2024,١٨ May,x,20:00,good,,", "Line 2: “2024 ١٨ May” is not a date Daylio writes."),
        (
            "2024,18 May,x,２０:00,good,,",
            "Line 2: the time “２０:00” is not like 22:13 or 8:30 pm.",
        ),
    ],
)
def test_digits_other_than_0_to_9_are_a_problem_not_a_crash(row, message):
    raw = daylio_file(row, header=",".join(daylio.OLDER))
    assert [str(problem) for problem in parse(raw).problems] == [message]


def test_the_expected_format_is_enforced_when_given():
    with pytest.raises(UnreadableFile, match="This is a Daylio file, not a KindJournal one"):
        formats.sniff(sample("daylio_common.csv"), expected="kindjournal")
