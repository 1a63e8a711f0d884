"""The CSV format module on its own: the rules the importer relies on to read files back."""

import csv
import datetime
import io
import time

import pytest

from kindjournal.journal.csv_format import (
    BOM,
    ExportDay,
    guard_formula,
    header,
    join_acts,
    lines,
    quote_field,
    split_acts,
    unguard_formula,
)
from kindjournal.journal.models import ActCategory

LABELS = ActCategory.labels


def test_header_has_the_note_column_only_when_notes_are_included():
    assert header(False) == ("date", "weekday", "mood", "acts_count", "acts", "recorded_on")
    assert header(True)[-1] == "note" and len(header(True)) == 7


@pytest.mark.parametrize(
    "text",
    ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "\nx", "\0x", '=HYPERLINK("x")', " =x", "  -1"],
)
def test_text_a_spreadsheet_would_run_as_a_formula_gets_a_leading_quote(text):
    assert guard_formula(text) == "'" + text


@pytest.mark.parametrize(
    ("text", "guarded"),
    [
        # A spreadsheet splitting on semicolons or tabs starts a cell after them; a line break
        # starts a row wherever our quotes are not at the start of its cell.
        ("x;=1+14", "x;'=1+14"),
        ("x\t=1+15", "x\t'=1+15"),
        ("Other: y;=1+114", "Other: y;'=1+114"),
        ("\t=1+6", "'\t'=1+6"),  # the tab would split the first guard off
        ("first line\r\n=1+2\n  @x", "first line\r\n'=1+2\n'  @x"),
        ("a; -b", "a;' -b"),
        ("a;'=1", "a;''=1"),  # a quote already there gets another, so unguard is exact
    ],
)
def test_a_formula_after_a_separator_or_line_break_is_guarded_there(text, guarded):
    assert guard_formula(text) == guarded
    assert unguard_formula(guarded) == text


@pytest.mark.parametrize(
    "text", ["", "Walked the dog", "'tis fine", "1+1", "😊 =x", "milk; eggs", "a\nb", "x,=1"]
)
def test_everyday_text_is_written_as_it_is(text):
    assert guard_formula(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "=x",
        "'=x",
        "''=x",
        "'",
        "''",
        "'tis",
        "-",
        "plain",
        "",
        "'\n",
        "'+'",
        "a;'",
        "a\n''-",
        "\t'",
    ],
)
def test_unguard_restores_exactly_what_guard_wrote(text):
    assert unguard_formula(guard_formula(text)) == text


def test_acts_are_category_label_colon_description_joined_with_semicolon_space():
    acts = [("Meal or food", "Soup for Ann"), ("Listening", "Called Jo")]
    assert join_acts(acts) == "Meal or food: Soup for Ann; Listening: Called Jo"


def test_split_acts_reads_back_descriptions_that_contain_the_separator():
    acts = [("Other", "milk; eggs: and bread"), ("Gift or flowers", "Tulips; for Mum")]
    assert split_acts(join_acts(acts), LABELS) == acts
    assert split_acts("", LABELS) == []


def test_split_acts_reads_a_long_description_of_many_short_parts_in_linear_time():
    # 1.9 MB, like a 5 MB file's one acts cell: 640,000 parts that each join the act before.
    # Read in about 0.05 s; adding each part to a string took 11 s on the same machine.
    cell = "Other: a" + "; b" * 640_000
    started = time.perf_counter()
    acts = split_acts(cell, LABELS)
    assert time.perf_counter() - started < 1
    assert acts == [("Other", cell.removeprefix("Other: "))]


def test_split_acts_refuses_an_act_without_a_known_category():
    with pytest.raises(ValueError, match="category label"):
        split_acts("Gardening: weeds", LABELS)


@pytest.mark.parametrize(
    ("value", "field"),
    [
        ("plain", "plain"),
        ("a,b", '"a,b"'),
        ('say "hi"', '"say ""hi"""'),
        ("two\r\nlines", '"two\r\nlines"'),
        ("lf\nonly", '"lf\nonly"'),
        ("", ""),
    ],
)
def test_fields_are_quoted_only_when_rfc_4180_needs_it(value, field):
    assert quote_field(value) == field


def test_lines_start_with_the_bom_and_every_line_ends_with_crlf():
    day = ExportDay(datetime.date(2025, 3, 3), None, None, [("Other", "x")], None)
    text = "".join(lines([day], notes=True))
    assert text == (
        BOM + "date,weekday,mood,acts_count,acts,recorded_on,note\r\n"
        '2025-03-03,Monday,,1,"Other: x",,""\r\n'
    )


def test_free_text_cells_are_always_quoted_and_guarded_wherever_a_cell_could_start():
    day = ExportDay(
        datetime.date(2025, 3, 3),
        5,
        datetime.date(2025, 3, 3),
        [("Other", "y;=1+114"), ("Listening", "plain")],
        "x;=1+14\nx\t=1+15\n=1+16",
    )
    assert "".join(lines([day], notes=True)).encode("utf-8").split(b"\r\n")[1] == (
        b'2025-03-03,Monday,5,2,"Other: y;\'=1+114; Listening: plain",2025-03-03,'
        b"\"x;'=1+14\nx\t'=1+15\n'=1+16\""
    )


def test_pythons_csv_reader_reads_every_cell_back():
    day = ExportDay(
        datetime.date(2025, 3, 4),
        7,
        datetime.date(2025, 3, 6),
        [("Other", 'a "quoted", act'), ("Listening", "=cmd")],
        '=HYPERLINK("http://x","y")\r\nline two, 😊',
    )
    text = "".join(lines([day], notes=True)).removeprefix(BOM)
    header_row, row = list(csv.reader(io.StringIO(text, newline="")))
    cells = dict(zip(header_row, row, strict=True))
    assert cells["weekday"] == "Tuesday" and cells["mood"] == "7"
    assert cells["recorded_on"] == "2025-03-06" and cells["acts_count"] == "2"
    assert split_acts(unguard_formula(cells["acts"]), LABELS) == day.acts
    assert unguard_formula(cells["note"]) == day.note
