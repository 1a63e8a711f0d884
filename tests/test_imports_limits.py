"""/import/'s limits (kindjournal/imports/sizes.py): a file made to be expensive is refused with
its counts before anything heavy runs, and one person's uploads cannot pile up."""

import datetime
import json
import time

import pytest
from django.conf import settings
from django.urls import reverse

from kindjournal.imports import daylio, formats, forms, kindjournal_csv, sizes
from kindjournal.imports.models import PendingImport
from kindjournal.journal.models import DayEntry, KindnessAct
from tests.imports_helpers import daylio_file, daylio_row
from tests.test_imports_page import UPLOAD_URL, mapping, preview_of, upload

D = datetime.date
KJ_HEADER = "date,weekday,mood,acts_count,acts,recorded_on"


def kindjournal_file(acts_per_day, days):
    """A KindJournal CSV of `days` days from 2024-01-01, each with `acts_per_day` acts."""
    lines = [KJ_HEADER]
    for n in range(days):
        day = (D(2024, 1, 1) + datetime.timedelta(days=n)).isoformat()
        acts = "; ".join(f"Other: {act}" for act in range(acts_per_day))
        lines.append(f'{day},Monday,5,{acts_per_day},"{acts}",{day}')
    return ("\r\n".join(lines) + "\r\n").encode()


def daylio_varied_file(rows, activities_per_row):
    """Daylio rows on distinct days, each with activities no other row names."""
    return daylio_file(
        *(
            daylio_row(
                D(2020, 1, 1) + datetime.timedelta(days=row),
                activities=" | ".join(f"r{row}a{n}" for n in range(activities_per_row)),
            )
            for row in range(rows)
        )
    )


@pytest.fixture
def work(monkeypatch):
    """Counts of the heavy steps a refused file must never reach: reading its rows into days
    and building the mapping form (each still runs as usual when called)."""
    calls = {"read": 0, "form": 0}

    def counted(name, function):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return function(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(kindjournal_csv, "read", counted("read", kindjournal_csv.read))
    monkeypatch.setattr(daylio, "read", counted("read", daylio.read))
    monkeypatch.setattr(forms.MappingForm, "__init__", counted("form", forms.MappingForm.__init__))
    return calls


def test_250_days_of_1500_acts_are_refused_at_upload_with_the_counts(owner_client, work):
    data = kindjournal_file(1500, 250)  # 375,000 acts, each day's cell under sizes.CELL_CHARS
    assert 4_500_000 < len(data) <= forms.MAX_UPLOAD_BYTES  # within the size limit
    response = upload(owner_client, data, "acts.csv")
    html = response.content.decode()
    assert response.status_code == 200
    assert "A day in this file has 1,500 acts; the page imports at most 50 a day." in html
    assert "import_journal command" in html
    assert 'aria-invalid="true"' in html
    assert work["read"] == 0
    assert not PendingImport.objects.exists() and not KindnessAct.objects.exists()


def test_350_different_activities_are_refused_at_upload_with_the_counts(owner_client, work):
    html = upload(owner_client, daylio_varied_file(7, 50)).content.decode()
    assert "This file has 1 different moods and 350 different activities; the page can " in html
    assert "map at most 50 moods and 300 activities." in html
    assert work == {"read": 0, "form": 0}
    assert not PendingImport.objects.exists()


def test_an_entry_naming_51_activities_is_refused_at_upload_with_its_line(owner_client, work):
    # 2,300 entries of 300 activities each (4.5 MB) took seconds to preview; the first is enough.
    every_activity = " | ".join(f"a{n}" for n in range(300))
    data = daylio_file(
        *(
            daylio_row(D(2010, 1, 1) + datetime.timedelta(days=n), activities=every_activity)
            for n in range(2300)
        )
    )
    assert len(data) <= forms.MAX_UPLOAD_BYTES
    html = upload(owner_client, data).content.decode()
    assert "Line 2: this entry names 300 activities; the page imports at most 50 an entry." in html
    assert work == {"read": 0, "form": 0}
    assert not PendingImport.objects.exists()
    rows = [daylio_row(D(2020, 1, n), activities=" | ".join(["a"] * 50 + [" "])) for n in (1, 2)]
    rows.append(daylio_row(D(2020, 1, 3), activities=" | ".join(f"b{n}" for n in range(51))))
    assert (
        "Line 4: this entry names 51 activities;"
        in upload(owner_client, daylio_file(*rows)).content.decode()
    )
    assert upload(owner_client, daylio_file(*rows[:2])).status_code == 302


def test_entries_naming_more_than_100000_activities_in_all_are_refused_at_upload(
    owner_client, work
):
    names = [f"a{n}" for n in range(300)]
    rows = [
        daylio_row(
            D(2000, 1, 1) + datetime.timedelta(days=row),
            activities=" | ".join(names[(row + n) % 300] for n in range(50)),
        )
        for row in range(2001)
    ]
    html = upload(owner_client, daylio_file(*rows)).content.decode()
    assert (
        "The entries in this file name 100,050 activities in all; the page imports at most 100,000."
    ) in html
    assert work == {"read": 0, "form": 0}
    assert not PendingImport.objects.exists()
    assert upload(owner_client, daylio_file(*rows[:2000])).status_code == 302


def test_a_stored_upload_over_the_limits_is_refused_at_preview_before_any_form(
    owner_client, owner, work
):
    # As an upload kept from before the limits would be: straight into the database.
    text = daylio_varied_file(7, 50).decode()
    pending = PendingImport.objects.create(user=owner, format="daylio", content=text)
    response = owner_client.get(pending.get_absolute_url())
    assert response.url == UPLOAD_URL
    assert "350 different activities" in owner_client.get(UPLOAD_URL).content.decode()
    assert work == {"read": 0, "form": 0}
    assert not PendingImport.objects.exists()


def test_an_acts_cell_of_130000_characters_is_refused_at_upload_naming_its_line(owner_client, work):
    day = "2024-01-02,Tuesday,5,1,Other: kind,2024-01-02"
    data = f'{KJ_HEADER}\r\n{day}\r\n2024-01-03,Wednesday,5,1,"Other: {"x" * 130_000}",\r\n'
    html = upload(owner_client, data.encode()).content.decode()
    assert (
        "Line 3: the “acts” cell is 130,007 characters long; the page reads at most 20,000 in "
        "one cell, more than a day&#x27;s note or acts ever fill. Nothing was kept."
    ) in html
    assert work == {"read": 0, "form": 0}
    assert not PendingImport.objects.exists()


def test_a_stored_upload_with_a_long_cell_is_refused_at_preview_before_any_form(
    owner_client, owner, work
):
    rows = [daylio_row(D(2024, 1, 1)), daylio_row(D(2024, 1, 2), note="x" * 20_001)]
    pending = PendingImport.objects.create(
        user=owner, format="daylio", content=daylio_file(*rows).decode()
    )
    assert owner_client.get(pending.get_absolute_url()).url == UPLOAD_URL
    html = owner_client.get(UPLOAD_URL).content.decode()
    assert "Line 3: the “note” cell is 20,001 characters long" in html
    assert work == {"read": 0, "form": 0}
    assert not PendingImport.objects.exists()


def test_a_blank_row_of_a_long_cell_of_spaces_is_refused_too(owner_client):
    header = daylio_file().decode().strip()
    data = f"{header}\n{daylio_row(D(2024, 1, 1))}\n,,,,,{' ' * 20_001}\n".encode()
    html = upload(owner_client, data).content.decode()
    assert "Line 3: the “activities” cell is 20,001 characters long" in html


def test_a_day_of_50_acts_is_imported_and_51_are_refused(owner_client, owner):
    assert (
        "imports at most 50 a day" in upload(owner_client, kindjournal_file(51, 1)).content.decode()
    )
    url, page = preview_of(owner_client, kindjournal_file(50, 1))
    owner_client.post(url, mapping(page.context["form"], confirm="1"))
    assert KindnessAct.objects.for_user(owner).count() == 50


def test_more_than_20000_acts_in_a_file_are_refused(owner_client):
    html = upload(owner_client, kindjournal_file(41, 500)).content.decode()
    assert "This file has 20,500 acts; the page imports at most 20,000." in html


ROWS_REFUSAL = (
    "This file has more than 20,000 rows (blank lines count too); the page imports at most 20,000."
)


def test_more_than_20000_rows_are_refused(owner_client):
    start = D(2000, 1, 1)
    rows = [daylio_row(start + datetime.timedelta(days=n % 9000)) for n in range(20_001)]
    html = upload(owner_client, daylio_file(*rows)).content.decode()
    assert ROWS_REFUSAL in html
    assert not PendingImport.objects.exists()
    # 20,000 rows is within the limit (the preview then lists their problems, if any).
    assert upload(owner_client, daylio_file(*rows[:20_000])).status_code == 302


def test_5_million_blank_lines_are_refused_as_rows_after_reading_20001_of_them(owner_client):
    text = daylio_file(daylio_row(D(2024, 1, 1))).decode()
    header, row = text.splitlines()
    blank_lines = f"{header}\n" + "\n" * 5_000_000 + f"{row}\n"
    assert len(blank_lines.encode()) <= forms.MAX_UPLOAD_BYTES
    html = upload(owner_client, blank_lines.encode()).content.decode()
    assert ROWS_REFUSAL in html
    assert not PendingImport.objects.exists()
    # The count stops at the 20,001st row: reading all 5 million took 1 s on the 2-core machine.
    started = time.perf_counter()
    source = formats.recognise(blank_lines)
    assert sizes.refusal(source, sizes.read_rows(source), {}).startswith(ROWS_REFUSAL)
    assert time.perf_counter() - started < 0.25


def test_a_file_blank_below_its_header_is_refused_for_its_rows_before_any_entry_is_looked_for(
    owner_client,
):
    # Looking for the first entry reads the 5 million blank lines; the row count stops early.
    header = daylio_file().decode().splitlines()[0]
    html = upload(owner_client, (f"{header}\n" + "\n" * 5_000_000).encode()).content.decode()
    assert ROWS_REFUSAL in html
    assert "There are no days to import" not in html
    # With a few blank lines, the person is told what is missing.
    html = upload(owner_client, (f"{header}\n" + "\n" * 3).encode()).content.decode()
    assert "There are no days to import: the file has a header but no entries below it." in html


def test_activities_ticked_into_more_than_50_acts_a_day_block_the_import(owner_client, owner):
    # Two entries on one day, each within the 50 activities an entry may name.
    entries = [
        daylio_row(D(2020, 1, 1), activities=" | ".join(f"a{n}" for n in names), time=at)
        for names, at in ((range(26), "09:00"), (range(26, 51), "20:00"))
    ]
    url, page = preview_of(owner_client, daylio_file(*entries))
    names = [name for _, name, _ in page.context["form"].activities]
    owner_client.post(
        url, mapping(page.context["form"], kinds=dict.fromkeys(names, "other"), update="1")
    )
    page = owner_client.get(url)
    assert "2020-01-01 would get 51 acts; the page imports at most 50 a day." in (
        page.content.decode()
    )
    owner_client.post(url, mapping(page.context["form"], confirm="1"))
    assert not KindnessAct.objects.exists() and not DayEntry.objects.exists()


def test_the_most_varied_file_allowed_maps_in_one_post(owner_client, owner):
    assert 3 + sizes.MOODS_PER_FILE + 2 * sizes.ACTIVITIES_PER_FILE <= (
        settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    )
    rows = [
        daylio_row(
            D(2020, 1, 1) + datetime.timedelta(days=n),
            mood=f"mood {n}",
            activities=" | ".join(f"a{6 * n + k}" for k in range(6)),
        )
        for n in range(sizes.MOODS_PER_FILE)
    ]
    url, page = preview_of(owner_client, daylio_file(*rows))
    form = page.context["form"]
    assert (len(form.moods), len(form.activities)) == (50, 300)
    data = mapping(
        form,
        moods={f"mood {n}": 5 for n in range(50)},
        kinds={f"a{n}": "other" for n in range(300)},
        overwrite="on",
        update="1",
    )
    assert owner_client.post(url, data).status_code == 302
    page = owner_client.get(url)
    assert owner_client.post(url, mapping(page.context["form"], confirm="1")).status_code == 302
    assert DayEntry.objects.for_user(owner).count() == 50
    assert KindnessAct.objects.for_user(owner).count() == 300


def test_a_fourth_waiting_upload_replaces_the_oldest_with_a_message(owner_client, owner):
    for n in range(3):
        preview_of(owner_client, daylio_file(daylio_row(D(2024, 1, 1))), name=f"file{n}.csv")
    response = upload(owner_client, daylio_file(daylio_row(D(2024, 1, 1))), "file3.csv")
    page = owner_client.get(response.url).content.decode()
    assert "At most 3 uploads wait for a confirm at once, so the oldest (“file0.csv”)" in page
    assert sorted(PendingImport.objects.for_user(owner).values_list("filename", flat=True)) == [
        "file1.csv",
        "file2.csv",
        "file3.csv",
    ]


def test_an_imported_upload_does_not_count_as_waiting(owner_client, owner):
    url, page = preview_of(owner_client, daylio_file(daylio_row(D(2024, 1, 1))))
    owner_client.post(url, mapping(page.context["form"], confirm="1"))
    for n in range(3):
        upload(owner_client, daylio_file(daylio_row(D(2024, 1, 2))), f"file{n}.csv")
    waiting = PendingImport.objects.for_user(owner).filter(imported_at__isnull=True)
    assert waiting.count() == 3
    assert PendingImport.objects.for_user(owner).count() == 4


def test_the_account_data_export_names_waiting_uploads_without_their_content(owner_client, owner):
    note = "a very private note " * 250
    data = daylio_file(
        *(daylio_row(D(2024, 1, 1) + datetime.timedelta(n), note=note) for n in range(40))
    )
    preview_of(owner_client, data, name="my_daylio.csv")
    pending = PendingImport.objects.get()
    response = owner_client.get(reverse("account_export"))
    assert "private note" not in response.content.decode()
    assert json.loads(response.content)["pending_imports"] == [
        {
            "filename": "my_daylio.csv",
            "format": "daylio",
            "characters": len(data.decode()),
            "uploaded_at": pending.created_at.isoformat(),
            "imported_at": None,
        }
    ]


@pytest.mark.parametrize(
    "row",
    [
        f"2024-01-02,Tuesday,{'1' * 4301},1,Other: kind,2024-01-02",  # the mood
        f"2024-01-02,Tuesday,5,{'1' * 4301},Other: kind,2024-01-02",  # acts_count
    ],
)
def test_a_number_of_thousands_of_digits_is_a_problem_on_its_line_not_an_error(owner_client, row):
    # int() refuses more than 4,300 digits with an error; the cell is far under CELL_CHARS.
    data = f"{KJ_HEADER}\r\n{row}\r\n2024-01-03,Wednesday,6,0,,2024-01-03\r\n".encode()
    _, preview = preview_of(owner_client, data, "kindjournal.csv")
    assert preview.status_code == 200
    assert "Line 2: " in preview.content.decode()


def test_an_older_daylio_file_with_a_year_of_thousands_of_digits_is_a_problem_not_an_error(
    owner_client,
):
    header = "year,date,weekday,time,mood,activities,note"
    data = f'{header}\r\n{"9" * 5000},16 May,Wednesday,20:00,good,"","x"\r\n'.encode()
    _, preview = preview_of(owner_client, data)
    assert preview.status_code == 200
    assert "Line 2: " in preview.content.decode()


@pytest.mark.parametrize(
    ("mood", "activities", "refusal"),
    [
        ("m" * 101, "", "Line 2: this mood’s name is 101 characters long; the page maps names"),
        ("good", "a" * 201, "Line 2: an activity’s name is 201 characters long; the page maps"),
    ],
)
def test_a_mood_or_activity_name_too_long_to_map_is_refused_at_upload_with_its_line(
    owner_client, work, mood, activities, refusal
):
    # Each name is written into the mapping form: 300 names of 16,000 "&" made a 48 MB page.
    data = daylio_file(daylio_row(D(2024, 1, 1), mood=mood, activities=activities))
    html = upload(owner_client, data).content.decode().replace("&#x27;", "’")
    assert refusal in html
    assert work == {"read": 0, "form": 0}
    assert not PendingImport.objects.exists()
    longest_allowed = daylio_file(daylio_row(D(2024, 1, 1), mood="m" * 100, activities="a" * 200))
    assert upload(owner_client, longest_allowed).status_code == 302
