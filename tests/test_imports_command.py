"""python manage.py import_journal (the same import as /import/, for big files and scripts) and
purge_imports (deletes expired uploads)."""

import datetime
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from kindjournal.accounts.models import Profile
from kindjournal.imports.models import PENDING_LIFETIME, PendingImport
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


def test_only_the_first_20_problems_are_listed(owner, tmp_path):
    path = tmp_path / "daylio.csv"
    path.write_bytes(daylio_file(*[daylio_row(D(2999, 1, 1 + n)) for n in range(25)]))
    err = StringIO()
    with pytest.raises(CommandError, match="the file has 25 problems"):
        call_command("import_journal", "--user=alice", "--format=daylio", str(path), stderr=err)
    lines = err.getvalue().splitlines()
    assert len(lines) == 21 and lines[-1] == "…and 5 more."


class Terminal(StringIO):
    def isatty(self):
        return True


def long_file(tmp_path):
    path = tmp_path / "daylio.csv"
    start = D(2020, 1, 1)
    path.write_bytes(
        daylio_file(*(daylio_row(start + datetime.timedelta(days=n)) for n in range(1200)))
    )
    return path


def test_long_files_show_a_progress_bar_on_a_terminal(owner, tmp_path):
    out = Terminal()
    call_command(
        "import_journal", "--user=alice", "--format=daylio", long_file(tmp_path), stdout=out
    )
    assert "\r[###############...............]  50% of lines read\r" in out.getvalue()
    assert "\r[##############################] 100% of lines read\n" in out.getvalue()
    assert "Imported 1,200 days and 0 acts of kindness." in out.getvalue()
    assert DayEntry.objects.count() == 1200


def test_long_files_log_progress_as_lines_when_not_on_a_terminal(owner, tmp_path):
    out, _ = run("--user=alice", "--format=daylio", str(long_file(tmp_path)))
    assert "\r" not in out
    progress = [line for line in out.splitlines() if line.endswith("of lines read")]
    assert progress == [f"{percent:3d}% of lines read" for percent in range(10, 101, 10)]
    out, _ = run("--user=alice", "--format=daylio", str(DATA / "daylio_older.csv"))
    assert "lines read" not in out


def test_dry_run_writes_nothing_not_even_a_profile(db):
    user = get_user_model().objects.create_user("bob")
    out, _ = run("--user=bob", "--format=daylio", str(DATA / "daylio_older.csv"), "--dry-run")
    assert "Would import 3 days" in out
    assert not Profile.objects.filter(user=user).exists()


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
        (
            ["--user=alice", "--format=daylio", "daylio_older.csv", "--mood-map=good=²"],
            "must be a whole number from 1 to 10, not '²'",
        ),
        (
            ["--user=alice", "--format=kindjournal", "kindjournal.csv", "--mood-map=rad=1"],
            "--mood-map and --kind-activities are for Daylio files",
        ),
        (
            ["--user=alice", "--format=kindjournal", "kindjournal.csv", "--kind-activities=x=gift"],
            "--mood-map and --kind-activities are for Daylio files",
        ),
    ],
)
def test_bad_arguments_stop_with_a_message_and_nothing_is_saved(owner, args, message, tmp_path):
    (tmp_path / "kindjournal.csv").write_bytes(
        "\ufeffdate,weekday,mood,acts_count,acts,recorded_on\r\n"
        "2024-01-01,Monday,5,0,,2024-01-01\r\n".encode()
    )
    folder = {"kindjournal.csv": tmp_path}
    args = [str(folder.get(arg, DATA) / arg) if arg.endswith(".csv") else arg for arg in args]
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert not DayEntry.objects.exists()


def test_format_must_be_one_of_the_two(owner):
    with pytest.raises(CommandError, match="invalid choice: 'excel'"):
        run("--user=alice", "--format=excel", str(DATA / "daylio_older.csv"))


def test_purge_imports_deletes_expired_uploads_and_keeps_fresh_ones(owner):
    expired, fresh = (
        PendingImport.objects.create(user=owner, filename=name, format="daylio", content="notes")
        for name in ("old.csv", "new.csv")
    )
    PendingImport.objects.filter(pk=expired.pk).update(
        created_at=expired.created_at - PENDING_LIFETIME
    )
    out = StringIO()
    call_command("purge_imports", stdout=out)
    assert out.getvalue() == "Deleted 1 expired upload.\n"
    assert list(PendingImport.objects.values_list("filename", flat=True)) == ["new.csv"]
