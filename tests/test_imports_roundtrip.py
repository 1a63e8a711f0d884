"""A KindJournal CSV exported, imported into a fresh account and exported again is the same file."""

import csv
import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from kindjournal.imports import formats, sizes
from kindjournal.imports.services import category_labels
from kindjournal.journal import csv_format
from kindjournal.journal.models import ActCategory, DayEntry, KindnessAct
from tests.conftest import make_user
from tests.imports_helpers import LIMITS

D = datetime.date
START, END = D(2026, 2, 27), D(2026, 3, 6)


def export(client, notes):
    query = {"start": START, "end": END, **({"notes": "1"} if notes else {})}
    response = client.get(reverse("exports:csv"), query)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def import_into(client, data):
    response = client.post(
        reverse("imports:upload"), {"file": SimpleUploadedFile("kj.csv", data, "text/csv")}
    )
    assert response.status_code == 302, response.content.decode()
    confirmed = client.post(response.url, {"confirm": "1"})
    assert confirmed.url == reverse("insights:insights") + "?range=all"


def fill_journal(user):
    days = [
        (D(2026, 2, 27), 7, "Plain day", D(2026, 2, 27)),
        (D(2026, 2, 28), 3, 'Commas, "quotes"\r\nand a second line 💛', D(2026, 3, 2)),
        (D(2026, 3, 2), 5, "=1+1 looks like a formula", D(2026, 3, 2)),
        (D(2026, 3, 3), 9, "'=SUM(A1) already quoted", D(2026, 3, 3)),
        (D(2026, 3, 4), 1, "-5 and falling\tthen a tab", D(2026, 3, 5)),
        (D(2026, 3, 5), 10, "", D(2026, 3, 5)),
    ]
    for date, mood, note, recorded_on in days:
        DayEntry.objects.save_day(user, date, mood=mood, note=note, recorded_on=recorded_on)
    for date, category, description in [
        (D(2026, 2, 27), "volunteering", "Food bank; sorted tins"),
        (D(2026, 2, 27), "gift", "Tulips: yellow ones"),
        (D(2026, 2, 27), "gift", "Tulips: yellow ones"),
        (D(2026, 3, 1), "listening", "Heard Jo out"),  # a day with acts and no mood
        (D(2026, 3, 4), "other", "@home, helped"),
        (D(2026, 3, 5), "other", "Called Sam; Listening: an hour"),  # one act: acts_count 1
        (D(2026, 3, 6), "checkin", "+44 called Gran"),
    ]:
        KindnessAct.objects.add(user, date, description, category)


def test_export_import_export_gives_the_same_bytes_with_and_without_notes(owner_client, owner):
    fill_journal(owner)
    for notes in (True, False):
        first = export(owner_client, notes)
        fresh = Client()
        fresh.force_login(make_user(f"fresh{int(notes)}"))
        import_into(fresh, first)
        assert export(fresh, notes) == first


labels = [str(label) for label in ActCategory.labels]
# Any text a form can save: Django's form fields refuse NUL, so the database never holds it.
TEXT = st.characters(exclude_characters="\0", exclude_categories=["Cs"])
descriptions = st.text(alphabet=TEXT, min_size=1, max_size=60).filter(str.strip)
# One act may say "; Listening: " (acts_count 1 tells); among several that would be ambiguous.
unambiguous = descriptions.filter(
    lambda text: not any(f"; {label}: " in f"; {text}" for label in labels)
)
acts_of_a_day = st.one_of(
    st.lists(st.tuples(st.sampled_from(labels), descriptions), max_size=1),
    st.lists(st.tuples(st.sampled_from(labels), unambiguous), min_size=2, max_size=4),
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 3000),
            st.one_of(st.none(), st.integers(1, 10)),
            st.text(alphabet=TEXT, max_size=200),
            acts_of_a_day,
            st.integers(0, 3000),  # days from the date to recorded_on: never after LIMITS.today
        ),
        unique_by=lambda day: day[0],
        max_size=6,
    ),
    st.booleans(),
)
def test_any_file_the_exporter_writes_reads_back_to_the_same_lines(days, notes):
    rows = [
        csv_format.ExportDay(
            date=D(2010, 1, 1) + datetime.timedelta(days=offset),
            mood=mood,
            recorded_on=None if mood is None else D(2010, 1, 1) + datetime.timedelta(offset + lag),
            acts=acts,
            note=(note if mood is not None else "") if notes else None,
        )
        for offset, mood, note, acts, lag in sorted(days)
        if mood is not None or acts
    ]
    assume(rows)  # an export with no days has nothing to import (the importer says so)
    text = "".join(csv_format.lines(rows, notes))
    parsed = formats.parse(formats.sniff(text.encode()), LIMITS, category_labels())
    assert parsed.problems == []
    value_to_label = {value: label for label, value in category_labels().items()}
    again = [
        csv_format.ExportDay(
            day.date,
            day.mood,
            day.recorded_on,
            [(value_to_label[category], description) for category, description in day.acts],
            day.note if notes else None,
        )
        for day in parsed.days
    ]
    assert "".join(csv_format.lines(again, notes)) == text


def test_the_longest_cells_an_export_writes_for_a_day_the_page_imports_are_imported(
    owner_client, owner
):
    # 50 acts (the most a day may bring) of 200 characters, the longest category label, and
    # every other character a formula guard: the longest cells sizes.CELL_CHARS must allow.
    guarded = ";=" * 100
    day = D(2026, 3, 2)
    DayEntry.objects.save_day(owner, day, mood=5, note=guarded * 25, recorded_on=day)
    for _ in range(sizes.ACTS_PER_DAY):
        KindnessAct.objects.add(owner, day, guarded, ActCategory.CHECKIN)
    data = export(owner_client, notes=True)
    cells = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))[1]
    assert max(map(len, cells)) == len(cells[4]) == 16_398 <= sizes.CELL_CHARS
    assert len(cells[6]) == 7_500

    fresh = Client()
    fresh.force_login(make_user("bob"))
    import_into(fresh, data)
    assert DayEntry.objects.get(user__username="bob").note == guarded * 25
    acts = KindnessAct.objects.filter(user__username="bob")
    assert [act.description for act in acts] == [guarded] * 50
