"""Notes and act descriptions are encrypted at rest under KINDJOURNAL_FIELD_KEYS."""

import datetime
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.exceptions import FieldError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from kindjournal.imports import formats, services
from kindjournal.imports.models import PendingImport
from kindjournal.journal.encryption import UndecryptableValue, rewrite_column
from kindjournal.journal.models import DayEntry, KindnessAct
from tests.imports_helpers import daylio_file, daylio_row
from tests.test_day import acts_url, day_url
from tests.test_imports_kindjournal import kindjournal_file

TEST_KEY = settings.KINDJOURNAL_FIELD_KEYS[0]
NEW_KEY = Fernet.generate_key().decode()


def raw(table, column):
    """{id: stored value} straight from the database, past the field's decryption."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {column} FROM {table} ORDER BY id")  # noqa: S608 (our names)
        return dict(cursor.fetchall())


def raw_text():
    return repr(raw("journal_dayentry", "note")) + repr(raw("journal_kindnessact", "description"))


def test_notes_and_acts_written_through_every_path_are_unreadable_in_the_raw_columns(
    owner_client, owner, today, yesterday, debug_on
):
    owner_client.post(day_url(today), {"mood": "4", "note": "Anxious before the appointment"})
    owner_client.post(acts_url(today), {"description": "Called Mum", "category": "checkin"})
    DayEntry.objects.filter(user=owner, date=today).update(note="Updated in bulk")
    earlier = datetime.date(2026, 1, 5)
    source = formats.sniff(
        daylio_file(daylio_row(earlier, note="Imported worry", activities="Volunteering"))
    )
    parsed = services.parse(owner, source, kind_activities={"Volunteering": "volunteering"})
    services.import_days(owner, parsed.days, overwrite=False)
    call_command("seed_demo", days=5, stdout=StringIO())

    assert KindnessAct.objects.filter(user=owner, date=earlier).exists()
    stored = raw_text()
    for text in ["Updated in bulk", "Called Mum", "Imported worry", "Volunteering", "Texted"]:
        assert text not in stored
    assert set(DayEntry.objects.values_list("note", flat=True)) >= {
        "Updated in bulk",
        "Imported worry",
    }
    assert "Called Mum" in owner_client.get(day_url(today)).content.decode()


@pytest.fixture
def debug_on(settings):
    settings.DEBUG = True  # seed_demo runs only in debug


def test_the_same_note_twice_is_stored_as_two_different_tokens(owner, today, yesterday):
    for day in (today, yesterday):
        DayEntry.objects.create(user=owner, date=day, mood=5, note="Same words", recorded_on=day)
    first, second = raw("journal_dayentry", "note").values()
    assert first != second
    assert first.startswith("gAAAAA") and second.startswith("gAAAAA")
    assert Fernet(TEST_KEY).decrypt(first.encode()) == b"Same words"


def test_an_empty_note_stays_empty_and_an_empty_act_is_still_refused_by_the_database(owner, today):
    DayEntry.objects.create(user=owner, date=today, mood=5, note="", recorded_on=today)
    assert list(raw("journal_dayentry", "note").values()) == [""]
    assert DayEntry.objects.get().note == ""

    with pytest.raises(IntegrityError):
        KindnessAct.objects.create(user=owner, date=today, description="", category="gift")


def test_an_act_description_over_200_characters_is_still_refused(owner_client, owner, today):
    response = owner_client.post(acts_url(today), {"description": "x" * 201, "category": "gift"})
    assert "Ensure this value has at most 200 characters" in response.content.decode()
    assert not KindnessAct.objects.exists()


@pytest.mark.parametrize(
    "lookup",
    [
        {"note": "Good walk"},
        {"note__icontains": "walk"},
        {"note__startswith": "G"},
        {"note__in": ["Good walk"]},
    ],
)
def test_searching_an_encrypted_column_in_sql_is_refused_instead_of_finding_nothing(db, lookup):
    with pytest.raises(FieldError):
        list(DayEntry.objects.filter(**lookup))


def test_a_value_no_listed_key_opens_raises_an_error_naming_the_row_and_never_shows(
    owner_client, owner, today, settings
):
    entry = DayEntry.objects.create(
        user=owner, date=today, mood=5, note="Private", recorded_on=today
    )
    act = KindnessAct.objects.create(user=owner, date=today, description="Hidden", category="gift")
    settings.KINDJOURNAL_FIELD_KEYS = [NEW_KEY]
    message = r"no key in KINDJOURNAL_FIELD_KEYS fits it"
    with pytest.raises(
        UndecryptableValue, match=rf"^DayEntry {entry.pk}: the stored note .*{message}"
    ):
        DayEntry.objects.get(pk=entry.pk)
    with pytest.raises(UndecryptableValue, match=rf"^KindnessAct {act.pk}: the stored description"):
        list(KindnessAct.objects.values_list("description", flat=True))
    with pytest.raises(UndecryptableValue):
        owner_client.get(day_url(today))


def rotate(**options):
    out = StringIO()
    call_command("rotate_field_keys", stdout=out, **options)
    return out.getvalue()


def test_rotation_moves_every_value_to_the_new_key_so_the_old_one_can_be_dropped(
    owner, today, settings
):
    for offset in range(5):
        day = today - datetime.timedelta(days=offset)
        DayEntry.objects.create(
            user=owner, date=day, mood=5, note=f"Note {offset}", recorded_on=day
        )
        KindnessAct.objects.create(user=owner, date=day, description=f"Act {offset}")
    DayEntry.objects.create(
        user=owner, date=today - datetime.timedelta(days=9), mood=5, note="", recorded_on=today
    )
    before = raw_text()

    settings.KINDJOURNAL_FIELD_KEYS = [NEW_KEY, TEST_KEY]
    output = rotate(batch_size=2)
    assert "journal_dayentry.note: 2 of 5 read, 2 re-encrypted so far" in output
    assert "journal_dayentry.note: done, 5 read, 5 re-encrypted, all under the first key." in output
    assert "journal_kindnessact.description: done, 5 read, 5 re-encrypted" in output
    assert raw_text() != before
    # Stopped and run again, or run twice: nothing left to do.
    assert "done, 5 read, 0 re-encrypted" in rotate()

    settings.KINDJOURNAL_FIELD_KEYS = [NEW_KEY]
    assert sorted(DayEntry.objects.values_list("note", flat=True)) == [
        "",
        *(f"Note {offset}" for offset in range(5)),
    ]
    assert sorted(KindnessAct.objects.values_list("description", flat=True)) == [
        f"Act {offset}" for offset in range(5)
    ]
    settings.KINDJOURNAL_FIELD_KEYS = [TEST_KEY]
    with pytest.raises(UndecryptableValue):
        list(DayEntry.objects.all())


def test_rotation_stops_at_a_value_no_key_opens_and_says_which_row(owner, today, settings):
    entry = DayEntry.objects.create(user=owner, date=today, mood=5, note="x", recorded_on=today)
    settings.KINDJOURNAL_FIELD_KEYS = [NEW_KEY]
    with pytest.raises(CommandError, match=rf"DayEntry {entry.pk}: .*no key .* fits"):
        rotate()


def test_rotation_never_overwrites_a_save_made_while_it_runs(owner, today, settings):
    entry = DayEntry.objects.create(user=owner, date=today, mood=5, note="Old", recorded_on=today)
    settings.KINDJOURNAL_FIELD_KEYS = [NEW_KEY, TEST_KEY]

    def saved_meanwhile(token):
        # The serving app saves the day between the rotation's read and its write.
        DayEntry.objects.filter(pk=entry.pk).update(note="Written while rotating")
        return Fernet(NEW_KEY).encrypt(b"Old").decode()

    field = DayEntry._meta.get_field("note")
    assert list(rewrite_column(connection, DayEntry, field, saved_meanwhile, 10)) == [(1, 0)]
    entry.refresh_from_db()
    assert entry.note == "Written while rotating"


@pytest.mark.parametrize("size", [0, 5001])
def test_rotation_batch_size_has_limits(db, size):
    with pytest.raises(CommandError, match="--batch-size must be from 1 to 5000"):
        rotate(batch_size=size)


def test_generate_field_key_prints_a_new_fernet_key_each_time(db):
    keys = set()
    for _ in range(2):
        out = StringIO()
        call_command("generate_field_key", stdout=out)
        keys.add(out.getvalue().strip())
    assert len(keys) == 2
    for key in keys:
        Fernet(key)


def migrate_to_the_newest():
    """Every app back to its newest migration, as the tests after this one expect (not only
    to the one a test looked at: later migrations add tables)."""
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_existing_rows_and_reverses_to_plain_text(owner):
    before, latest = (
        [("journal", "0004_dayentry_submission_key")],
        [("journal", "0005_encrypt_notes_and_acts")],
    )
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    day = datetime.date(2026, 3, 1)
    old.get_model("journal", "DayEntry").objects.create(
        user_id=owner.pk, date=day, mood=6, note="Plain note", recorded_on=day
    )
    old.get_model("journal", "KindnessAct").objects.create(
        user_id=owner.pk, date=day, description="Plain act", category="gift"
    )
    assert "Plain note" in raw_text() and "Plain act" in raw_text()

    executor = MigrationExecutor(connection)
    executor.migrate(latest)
    assert "Plain" not in raw_text()
    assert DayEntry.objects.get().note == "Plain note"
    assert KindnessAct.objects.get().description == "Plain act"

    executor = MigrationExecutor(connection)
    executor.migrate(before)
    assert list(raw("journal_dayentry", "note").values()) == ["Plain note"]
    assert list(raw("journal_kindnessact", "description").values()) == ["Plain act"]
    migrate_to_the_newest()


WAITING_FILE = kindjournal_file(
    "2026-03-01,Sunday,3,1,Listening: Sat with Jo at the clinic,2026-03-01,Scared of the scan"
)


def upload_waiting(client):
    """Upload WAITING_FILE to /import/ and leave it waiting for its confirm; its preview URL."""
    upload = SimpleUploadedFile("kj.csv", WAITING_FILE, "text/csv")
    response = client.post(reverse("imports:upload"), {"file": upload})
    assert response.status_code == 302
    return response.url


def confirm_waiting(client, url):
    assert 'data-count="new-days">1<' in client.get(url).content.decode()
    client.post(url, {"confirm": "1"})
    assert list(DayEntry.objects.values_list("note", flat=True)) == ["Scared of the scan"]
    assert list(KindnessAct.objects.values_list("description", flat=True)) == [
        "Sat with Jo at the clinic"
    ]


def test_an_upload_waiting_for_its_confirm_holds_none_of_its_text_in_the_raw_column(owner_client):
    url = upload_waiting(owner_client)
    [stored] = raw("imports_pendingimport", "content").values()
    for text in ["Scared of the scan", "Sat with Jo", "2026-03-01", "Listening"]:
        assert text not in stored
    assert b"Scared of the scan" in Fernet(TEST_KEY).decrypt(stored.encode())
    confirm_waiting(owner_client, url)
    assert list(raw("imports_pendingimport", "content").values()) == [""]


def test_rotation_re_encrypts_uploads_waiting_for_their_confirm_too(owner_client, settings):
    upload_waiting(owner_client)
    url = upload_waiting(owner_client)
    settings.KINDJOURNAL_FIELD_KEYS = [NEW_KEY, TEST_KEY]
    output = rotate()
    # A whole file each, so one per transaction whatever --batch-size says.
    assert "imports_pendingimport.content: 1 of 2 read, 1 re-encrypted so far" in output
    assert "imports_pendingimport.content: done, 2 read, 2 re-encrypted" in output
    settings.KINDJOURNAL_FIELD_KEYS = [NEW_KEY]
    confirm_waiting(owner_client, url)


@pytest.mark.django_db(transaction=True)
def test_the_imports_migration_encrypts_waiting_uploads_and_reverses_to_plain_text(owner):
    before = [("imports", "0002_pending_import_purge")]
    latest = [("imports", "0003_encrypt_pending_content")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    old.get_model("imports", "PendingImport").objects.create(
        user_id=owner.pk, filename="old.csv", format="kindjournal", content="Plain upload"
    )
    old.get_model("imports", "PendingImport").objects.create(
        user_id=owner.pk, filename="", format="kindjournal", content=""
    )

    executor = MigrationExecutor(connection)
    executor.migrate(latest)
    stored = list(raw("imports_pendingimport", "content").values())
    assert "Plain" not in repr(stored) and stored[1] == ""
    assert list(PendingImport.objects.order_by("pk").values_list("content", flat=True)) == [
        "Plain upload",
        "",
    ]

    executor = MigrationExecutor(connection)
    executor.migrate(before)
    assert list(raw("imports_pendingimport", "content").values()) == ["Plain upload", ""]
    migrate_to_the_newest()


def test_an_import_of_equal_notes_and_acts_stores_each_under_its_own_token(
    owner_client, owner, settings
):
    data = kindjournal_file(
        "2026-03-01,Sunday,5,1,Listening: Heard Jo out,2026-03-01,Same again",
        "2026-03-02,Monday,6,2,Listening: Heard Jo out; Listening: Heard Jo out,2026-03-02,"
        "Same again",
    )

    def import_file(**overwrite):
        upload = SimpleUploadedFile("kj.csv", data, "text/csv")
        url = owner_client.post(reverse("imports:upload"), {"file": upload}).url
        page = owner_client.get(url).content.decode()
        owner_client.post(url, {"confirm": "1", **overwrite})
        return page

    import_file()
    notes, descriptions = raw("journal_dayentry", "note"), raw("journal_kindnessact", "description")
    assert len(set(notes.values())) == 2 and len(set(descriptions.values())) == 3
    assert list(DayEntry.objects.order_by("date").values_list("note", flat=True)) == [
        "Same again",
        "Same again",
    ]
    acts = list(KindnessAct.objects.order_by("date", "pk").values_list("date", "description"))
    assert acts == [
        (datetime.date(2026, 3, 1), "Heard Jo out"),
        (datetime.date(2026, 3, 2), "Heard Jo out"),
        (datetime.date(2026, 3, 2), "Heard Jo out"),
    ]

    # Imported again, the acts are recognised by date, category and description: no copies,
    # and the overwritten notes are each encrypted afresh.
    page = import_file()
    assert 'data-count="new-days">0<' in page and 'data-count="existing-days">2<' in page
    import_file(overwrite="on")
    assert KindnessAct.objects.count() == 3 and DayEntry.objects.count() == 2
    assert len(set(raw("journal_dayentry", "note").values())) == 2

    # A value no key opens names its own row, not every row that holds the same words.
    first = DayEntry.objects.order_by("date").first()
    settings.KINDJOURNAL_FIELD_KEYS = [NEW_KEY]
    with pytest.raises(UndecryptableValue, match=rf"^DayEntry {first.pk}: the stored note"):
        DayEntry.objects.get(pk=first.pk)
