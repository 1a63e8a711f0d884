"""python manage.py import_journal: the same import as /import/, for big files and scripts."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from kindjournal.journal.models import DayEntry, KindnessAct
from tests.imports_helpers import DATA, daylio_file, daylio_row

D = datetime.date


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_journal", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def stored(user):
    return (
        list(DayEntry.objects.for_user(user).order_by("date").values_list("date", "mood")),
        list(
            KindnessAct.objects.for_user(user)
            .order_by("date", "pk")
            .values_list("date", "category", "description")
        ),
    )


def test_imports_a_daylio_file_with_mood_map_and_kind_activities(owner, stranger):
    out, err = run(
        "--user=alice",
        "--format=daylio",
        str(DATA / "daylio_newer.csv"),
        "--mood-map",
        "super=10,geht so=6,schlecht=2,rad=9",
        "--kind-activities",
        "Ehrenamt=volunteering,mama angerufen=checkin",
    )
    assert "Daylio CSV export (newer layout, with scales)" in out
    assert "Imported 2 days and 2 acts of kindness." in out
    assert err == ""
    assert stored(owner) == (
        [(D(2025, 1, 11), 4), (D(2025, 1, 12), 10)],
        [
            (D(2025, 1, 11), "checkin", "Mama angerufen"),
            (D(2025, 1, 12), "volunteering", "Ehrenamt"),
        ],
    )
    assert stored(stranger) == ([], [])


def test_dry_run_reports_what_it_would_do_and_saves_nothing(owner):
    DayEntry.objects.save_day(owner, D(2018, 5, 17), mood=2, note="", recorded_on=D(2018, 5, 17))
    out, _ = run(
        "--user", "alice", "--format", "daylio", str(DATA / "daylio_older.csv"), "--dry-run"
    )
    assert (
        "Would import 2 days and 0 acts of kindness. 1 day already in the journal would be kept. "
        "Dry run: nothing was saved."
    ) in out
    out, _ = run(
        "--user", "alice", "--format", "daylio", str(DATA / "daylio_older.csv"), "--dry-run",
        "--overwrite", "--kind-activities", "cook=meal",
    )  # fmt: skip
    assert (
        "Would import 2 days and 2 acts of kindness. 1 day already in the journal would be "
        "overwritten."
    ) in out
    assert stored(owner) == ([(D(2018, 5, 17), 2)], [])


def test_overwrite_replaces_existing_days_and_without_it_they_are_kept(owner):
    DayEntry.objects.save_day(owner, D(2018, 5, 17), mood=2, note="", recorded_on=D(2018, 5, 17))
    args = ["--user=alice", "--format=daylio", str(DATA / "daylio_older.csv")]
    out, _ = run(*args)
    assert "Imported 2 days and 0 acts of kindness. 1 day already in the journal was kept." in out
    assert stored(owner)[0] == [(D(2018, 5, 16), 3), (D(2018, 5, 17), 2), (D(2018, 5, 18), 10)]
    out, _ = run(*args, "--overwrite")
    assert (
        "Imported 0 days and 0 acts of kindness. 3 days already in the journal were overwritten."
        in out
    )
    assert stored(owner)[0] == [(D(2018, 5, 16), 3), (D(2018, 5, 17), 5), (D(2018, 5, 18), 10)]


def test_a_file_with_problems_lists_them_by_line_and_imports_nothing(owner, tmp_path):
    path = tmp_path / "daylio.csv"
    path.write_bytes(
        daylio_file(
            daylio_row(D(2024, 1, 1)),
            daylio_row(D(2024, 1, 2), mood="sparkly"),
            daylio_row(D(2024, 1, 3)),
        )
    )
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="Nothing was imported: the file has 1 problem."):
        call_command(
            "import_journal", "--user=alice", "--format=daylio", str(path), stdout=out, stderr=err
        )
    assert err.getvalue() == "Line 3: the mood “sparkly” has no value from 1 to 10.\n"
    assert not DayEntry.objects.exists()


def test_long_files_show_a_progress_bar(owner, tmp_path):
    start = D(2020, 1, 1)
    path = tmp_path / "daylio.csv"
    path.write_bytes(
        daylio_file(*(daylio_row(start + datetime.timedelta(days=n)) for n in range(1200)))
    )
    out, _ = run("--user=alice", "--format=daylio", str(path))
    assert "\r[##############################] 100% of lines read\n" in out
    assert "Imported 1,200 days and 0 acts of kindness." in out
    assert DayEntry.objects.count() == 1200
    out, _ = run("--user=alice", "--format=daylio", str(DATA / "daylio_older.csv"))
    assert "lines read" not in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--user=nobody", "--format=daylio", "daylio_older.csv"], "There is no user called"),
        (["--user=alice", "--format=kindjournal", "daylio_older.csv"], "not a KindJournal one"),
        (["--user=alice", "--format=daylio", "missing.csv"], "Cannot read"),
        (
            ["--user=alice", "--format=daylio", "daylio_older.csv", "--mood-map=rad:10"],
            "name=value",
        ),
        (
            ["--user=alice", "--format=daylio", "daylio_older.csv", "--mood-map=rad=11"],
            "from 1 to 10",
        ),
        (
            ["--user=alice", "--format=daylio", "daylio_older.csv", "--kind-activities=cook=food"],
            "is not a category; use one of checkin, gift",
        ),
    ],
)
def test_bad_arguments_stop_with_a_message_and_nothing_is_saved(owner, args, message):
    args = [str(DATA / arg) if arg.endswith(".csv") else arg for arg in args]
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert not DayEntry.objects.exists()


def test_format_must_be_one_of_the_two(owner):
    with pytest.raises(CommandError, match="invalid choice: 'excel'"):
        run("--user=alice", "--format=excel", str(DATA / "daylio_older.csv"))
