"""The person's control over their data: /accounts/export/ (JSON) and /accounts/delete/."""

import datetime
import json
import re
import uuid

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from kindjournal.account_data import delete_account
from kindjournal.accounts.models import Profile
from kindjournal.journal.models import DayEntry, DeletedActKey, KindnessAct
from kindjournal.reminders.models import PushSubscription, Reminder
from tests.conftest import PASSWORD, make_user
from tests.threads import in_background

EXPORT_URL = reverse("account_export")
DELETE_URL = reverse("account_delete")
D = datetime.date


@pytest.fixture
def journal(owner):
    owner.profile.display_name = "Alice W."
    owner.profile.time_zone = "Europe/Paris"
    owner.profile.show_on_this_day = False
    owner.profile.save()
    DayEntry.objects.create(
        user=owner, date=D(2025, 3, 3), mood=7, note="Private 😊", recorded_on=D(2025, 3, 4)
    )
    KindnessAct.objects.create(user=owner, date=D(2025, 3, 3), category="meal", description="Soup")
    KindnessAct.objects.create(user=owner, date=D(2025, 3, 9), description="Held a door")
    return owner


def test_json_export_holds_the_profile_every_day_and_every_act(owner_client, journal, stranger):
    DayEntry.objects.create(user=stranger, date=D(2025, 3, 3), mood=1, recorded_on=D(2025, 3, 3))
    response = owner_client.get(EXPORT_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="kindjournal_account_')
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    assert data["format"] == "kindjournal-account-export" and data["version"] == 1
    assert data["account"]["username"] == "alice"
    assert data["profile"] == {
        "display_name": "Alice W.",
        "time_zone": "Europe/Paris",
        "show_on_this_day": False,
    }
    [day] = data["days"]
    entry = DayEntry.objects.get(user=journal)
    assert day == {
        "date": "2025-03-03",
        "mood": 7,
        "note": "Private 😊",
        "recorded_on": "2025-03-04",
        "created_at": entry.created_at.isoformat(),
        "updated_at": entry.updated_at.isoformat(),
    }
    assert [
        (a["date"], a["category"], a["category_label"], a["description"]) for a in data["acts"]
    ] == [
        ("2025-03-03", "meal", "Meal or food", "Soup"),
        ("2025-03-09", "other", "Other", "Held a door"),
    ]
    assert all(act["created_at"] for act in data["acts"])


def test_json_export_says_when_acts_were_deleted_and_nothing_else_of_them(owner_client, owner):
    key = uuid.uuid4()
    day = owner.profile.today()
    owner_client.post(
        reverse("journal:add_act", args=[day]),
        {"description": "gone-act", "category": "gift", "submission_key": str(key)},
    )
    owner_client.post(reverse("journal:delete_act", args=[KindnessAct.objects.get().pk]))
    data = json.loads(owner_client.get(EXPORT_URL).content)
    [deleted] = data["deleted_acts"]
    deleted_at = DeletedActKey.objects.get(user=owner).deleted_at
    assert deleted == {"deleted_at": deleted_at.isoformat()}
    assert "gone-act" not in json.dumps(data) and str(key) not in json.dumps(data)


def test_json_export_holds_the_reminder_and_its_devices(owner_client, owner, stranger):
    Reminder.objects.create(
        user=owner,
        enabled=True,
        time=datetime.time(7, 45),
        weekdays=0b0000011,
        email=True,
        email_address="alice@example.org",
        email_confirmed=True,
    )
    PushSubscription.objects.create(
        user=owner, endpoint="https://fcm.googleapis.com/a", p256dh="k", auth="a", label="Phone"
    )
    PushSubscription.objects.create(
        user=stranger, endpoint="https://fcm.googleapis.com/m", p256dh="k", auth="a", label="Not"
    )
    data = json.loads(owner_client.get(EXPORT_URL).content)
    reminder = data["reminder"]
    assert (reminder["time"], reminder["weekdays"], reminder["email_address"]) == (
        "07:45",
        [0, 1],
        "alice@example.org",
    )
    assert reminder["enabled"] and reminder["email"] and reminder["email_confirmed"]
    assert [device["label"] for device in data["push_devices"]] == ["Phone"]


def test_json_export_lists_sign_ins_and_failed_attempts_without_a_strangers_address(
    client, journal
):
    client.post(
        reverse("login"),
        {"username": "alice", "password": PASSWORD},
        REMOTE_ADDR="198.51.100.7",
        HTTP_USER_AGENT="Alice's Phone",
    )
    Client().post(
        reverse("login"),
        {"username": "alice", "password": "wrong-password"},
        REMOTE_ADDR="203.0.113.66",
        HTTP_USER_AGENT="Stranger's Laptop",
    )
    response = client.get(EXPORT_URL)
    data = json.loads(response.content)
    [sign_in] = data["sign_ins"]
    assert (sign_in["ip_address"], sign_in["user_agent"]) == ("198.51.100.7", "Alice's Phone")
    assert sign_in["time"]
    [failed] = data["failed_sign_ins"]
    assert failed["failures"] == 1 and failed["time"]
    text = response.content.decode()
    assert "203.0.113" not in text and "Stranger" not in text


@pytest.mark.parametrize("url", [EXPORT_URL, DELETE_URL])
def test_data_controls_need_a_log_in(client, db, url):
    assert client.get(url).url.startswith(reverse("login"))


def test_settings_link_to_the_exports_and_to_deletion(owner_client):
    page = owner_client.get(reverse("account_settings")).content.decode()
    for url in (EXPORT_URL, DELETE_URL, reverse("exports:export")):
        assert f'href="{url}"' in page


def test_delete_page_asks_for_the_password_and_deletes_nothing(owner_client, journal):
    page = owner_client.get(DELETE_URL).content.decode()
    assert re.search(r'<label\s+for="id_password"[^>]*>\s*Your password', page)
    assert 'name="password"' in page
    assert "cannot be undone" in page
    assert DayEntry.objects.filter(user=journal).exists()


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("not-my-password", "That password is not right. Nothing was deleted."),
        ("", "Enter your password to delete your account."),
    ],
)
def test_a_wrong_or_missing_password_changes_nothing(owner_client, journal, password, message):
    response = owner_client.post(DELETE_URL, {"password": password})
    assert response.status_code == 200
    assert message in response.content.decode()
    journal.refresh_from_db()
    assert DayEntry.objects.filter(user=journal).count() == 1
    assert KindnessAct.objects.filter(user=journal).count() == 2
    assert owner_client.get(reverse("journal:history")).status_code == 200  # still logged in


def test_wrong_passwords_count_towards_the_log_in_lockout(owner_client, journal, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        owner_client.post(DELETE_URL, {"password": "guess"})
    assert AccessAttempt.objects.get(username="alice").failures_since_start == 5
    response = owner_client.post(DELETE_URL, {"password": PASSWORD})
    assert response.status_code == 429
    assert get_user_model().objects.filter(username="alice").exists()


def table_counts():
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 (names from the schema)
            counts[table] = cursor.fetchone()[0]
    return counts


def table_text():
    """Every row of every table as text, to look for any trace of a person."""
    with connection.cursor() as cursor:
        rows = []
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (names from the schema)
            rows += [repr(row) for row in cursor.fetchall()]
    return "\n".join(rows)


def test_deleting_the_account_leaves_nothing_of_the_person_in_any_table(db, stranger):
    DayEntry.objects.create(user=stranger, date=D(2025, 3, 3), mood=2, recorded_on=D(2025, 3, 3))
    before = table_counts()

    wren = make_user("wren-deleted")
    phone, laptop = Client(), Client()
    # A wrong password first (django-axes keeps a record), then two sessions.
    phone.post(reverse("login"), {"username": "wren-deleted", "password": "nope"})
    for device in (phone, laptop):
        device.post(reverse("login"), {"username": "wren-deleted", "password": PASSWORD})
    phone.post(reverse("journal:day", args=["2025-03-03"]), {"mood": "6", "note": "wren-note"})
    phone.post(
        reverse("journal:add_act", args=["2025-03-03"]),
        {"description": "wren-act", "category": "gift"},
    )
    # An act deleted again leaves its form key behind (DeletedActKey).
    phone.post(
        reverse("journal:add_act", args=["2025-03-03"]),
        {"description": "wren-gone", "category": "gift", "submission_key": str(uuid.uuid4())},
    )
    [gone] = [act for act in KindnessAct.objects.filter(user=wren) if act.submission_key]
    phone.post(reverse("journal:delete_act", args=[gone.pk]))
    assert DeletedActKey.objects.filter(user=wren).exists()
    Reminder.objects.create(user=wren, enabled=True, email_address="wren@example.org")
    PushSubscription.objects.create(
        user=wren, endpoint="https://fcm.googleapis.com/wren", p256dh="k", auth="a", label="wren"
    )
    assert DayEntry.objects.filter(user=wren).exists() and AccessLog.objects.exists()
    assert Session.objects.count() == 2

    response = phone.post(DELETE_URL, {"password": PASSWORD})

    assert response.status_code == 302 and response.url == "/"
    assert table_counts() == before
    text = table_text()
    assert "wren" not in text and f"'{wren.pk}'" not in text
    assert DayEntry.objects.get(user=stranger).mood == 2
    # Both devices are logged out, and the person is told it is done.
    assert "Your account and everything in it have been deleted." in (
        phone.get("/").content.decode()
    )
    assert laptop.get(reverse("journal:history")).status_code == 302


def test_delete_answers_only_get_and_post(owner_client):
    assert owner_client.put(DELETE_URL).status_code == 405
    assert owner_client.post(EXPORT_URL).status_code == 405


def test_deleting_the_account_removes_the_admin_log_entries_about_its_rows(db, stranger):
    staff = make_user("staff-member")
    wren = make_user("wren-deleted")
    day = DayEntry.objects.create(user=wren, date=D(2025, 3, 3), mood=3, recorded_on=D(2025, 3, 3))
    act = KindnessAct.objects.create(user=wren, date=D(2025, 3, 3), description="x")
    others = DayEntry.objects.create(
        user=stranger, date=D(2025, 3, 3), mood=2, recorded_on=D(2025, 3, 3)
    )
    for obj in (wren, day, act, others):
        LogEntry.objects.log_actions(staff.pk, [obj], CHANGE, single_object=True)
    assert LogEntry.objects.count() == 4

    client = Client()
    client.force_login(wren)
    client.post(DELETE_URL, {"password": PASSWORD})

    # Only the entry about the stranger's day is left; nothing names "2025-03-03: mood 3".
    (left,) = LogEntry.objects.all()
    assert left.content_type == ContentType.objects.get_for_model(DayEntry)
    assert left.object_id == str(others.pk)
    assert "mood 3" not in table_text()


def test_an_empty_post_to_delete_shows_the_password_error_and_deletes_nothing(
    owner_client, journal
):
    response = owner_client.post(DELETE_URL)
    assert "Enter your password to delete your account." in response.content.decode()
    assert get_user_model().objects.filter(pk=journal.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_a_save_under_way_while_the_account_is_deleted_is_sent_to_log_in_and_stores_nothing():
    owner = make_user("alice")
    saver = Client()
    saver.force_login(owner)
    day_url = reverse("journal:day", args=["2025-03-03"])
    outcomes = []
    # The deletion is under way first, uncommitted: the save's log-in still finds the account,
    # then its write waits for the deletion to commit, and meets a deleted account.
    with transaction.atomic():
        delete_account(owner)
        thread = in_background(lambda: saver.post(day_url, {"mood": "7", "note": "late"}), outcomes)
        # Long enough for the save to get past log-in (its reads do not wait for the deletion).
        thread.join(timeout=1)
    thread.join(timeout=30)
    [response] = outcomes
    assert response.status_code == 302, response
    assert response.url.startswith(reverse("login"))
    assert not DayEntry.objects.exists()
    assert not get_user_model().objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_page_asked_for_while_the_account_is_deleted_is_sent_to_log_in_and_makes_no_profile():
    owner = make_user("alice")
    # Accounts made with createsuperuser or in the admin get their profile on their first page.
    Profile.objects.filter(user=owner).delete()
    client = Client()
    client.force_login(owner)
    outcomes = []
    # The deletion is under way first, uncommitted: the request's log-in still finds the
    # account but no profile, and making one waits for the deletion to commit.
    with transaction.atomic():
        delete_account(owner)
        thread = in_background(lambda: client.get(reverse("journal:today")), outcomes)
        thread.join(timeout=1)
    thread.join(timeout=30)
    [response] = outcomes
    assert response.status_code == 302, response
    assert response.url.startswith(reverse("login"))
    assert not Profile.objects.exists() and not get_user_model().objects.exists()
