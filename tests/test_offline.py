"""The service worker's script, the offline page it keeps, and the endpoint that saves what a
device kept offline: each entry once, never over a newer change, only for its own account."""

import datetime
import json
import re
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kindjournal import cdn
from kindjournal.journal.models import DayEntry, KindnessAct
from kindjournal.offline.views import MAX_SEND_BYTES
from kindjournal.offline.worker import PRECACHED_STATIC
from tests.conftest import make_user
from tests.threads import at_once

ROOT = Path(__file__).resolve().parent.parent


def worker_config(client):
    source = client.get("/sw.js").content.decode()
    first_line = source.split("\n", 1)[0]
    assert first_line.startswith("self.KINDJOURNAL = ")
    return json.loads(first_line.removeprefix("self.KINDJOURNAL = ").rstrip(";"))


def now_ms():
    return int(time.time() * 1000)


def queued(user, kind="mood", date=None, key=None, waited_ms=0, **fields):
    """What static/js/queue.js sends for one entry."""
    sent = now_ms()
    entry = {
        "key": str(key or uuid.uuid4()),
        "kind": kind,
        "date": (date or user.profile.today()).isoformat(),
        "account": user.pk,
        "made_at": sent - waited_ms,
        "sent_at": sent,
    }
    if kind == "mood":
        entry |= {"mood": 7, "note": "kept offline"}
    else:
        entry |= {"description": "Texted Sam", "category": "checkin"}
    return entry | fields


def send(client, entry, **extra):
    return client.post(
        "/offline/send/", json.dumps(entry), content_type="application/json", **extra
    )


def send_text(client, text):
    return client.post("/offline/send/", text, content_type="application/json")


CLOCK_PROBLEM = "This device's clock gave a time that cannot be right: check its date and time."


# The worker script


def test_worker_is_served_from_the_root_uncached_as_javascript(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    assert 'addEventListener("fetch"' in response.content.decode()


def test_worker_may_fetch_only_the_site_and_the_exact_cdn_files(client):
    policy = dict(
        part.strip().split(" ", 1)
        for part in client.get("/sw.js")["Content-Security-Policy"].split(";")
        if part.strip()
    )
    assert policy["default-src"] == "'none'"
    sources = policy["connect-src"].split()
    assert sources[0] == "'self'"
    assert set(sources[1:]) == {asset.url for asset in cdn.ASSETS.values()}


def test_worker_script_is_the_same_on_every_request_so_browsers_keep_it(client, owner):
    first = client.get("/sw.js").content
    client.force_login(owner)
    assert client.get("/sw.js").content == first


def test_worker_precaches_hashed_static_names_and_the_cdn_files_with_integrity(
    hashed_static, client
):
    config = worker_config(client)
    assert len(config["static"]) == len(PRECACHED_STATIC)
    for url in [*config["static"], config["queue"]]:
        assert re.search(r"\.[0-9a-f]{12}\.(js|css|png|svg)$", url), url
        assert client.get(url).status_code == 200, url
    assert config["cdn"] == [
        {"url": asset.url, "integrity": asset.integrity} for asset in cdn.ASSETS.values()
    ]


def test_a_deploy_that_changes_a_static_file_changes_the_worker_version(settings, client):
    before = worker_config(client)["version"]
    settings.STATIC_URL = "/static-v2/"
    assert worker_config(client)["version"] != before


def test_offline_page_loads_only_files_the_worker_keeps(client):
    config = worker_config(client)
    page = client.get(config["shell"]).content.decode()
    ours = set(re.findall(r'(?:src|href)="(/static/[^"]+)"', page))
    assert ours
    assert ours <= set(config["static"])
    theirs = set(re.findall(r'(?:src|href)="(https://[^"]+)"', page))
    assert theirs <= {asset.url for asset in cdn.ASSETS.values()}


# The offline page


def test_offline_page_holds_no_ones_data_token_or_messages(client, owner):
    DayEntry.objects.create(
        user=owner,
        date=owner.profile.today(),
        mood=3,
        note="secret note",
        recorded_on=owner.profile.today(),
    )
    client.force_login(owner)
    client.post(f"/day/{owner.profile.today()}/", {"mood": "4", "note": "secret note"})
    page = client.get("/offline/").content.decode()
    assert "secret note" not in page
    assert "alice" not in page
    assert "csrfmiddlewaretoken" not in page
    assert "Saved mood" not in page
    assert 'name="submission_key"' not in page
    assert '<script id="kj-account" type="application/json">null</script>' in page
    # The message was not used up by the offline page: the next real page shows it.
    assert "Saved mood 4 for today." in client.get("/").content.decode()


def test_offline_page_is_the_same_for_everyone(client, owner):
    anonymous = client.get("/offline/").content
    client.force_login(owner)
    assert client.get("/offline/").content == anonymous


def test_pages_tell_the_script_who_is_logged_in_and_nothing_when_nobody_is(client, owner):
    assert '<script id="kj-account" type="application/json">null</script>' in (
        client.get("/").content.decode()
    )
    client.force_login(owner)
    page = client.get("/").content.decode()
    found = re.search(r'<script id="kj-account" type="application/json">(.*?)</script>', page)
    assert json.loads(found.group(1)) == {"id": owner.pk, "name": "alice", "timeZone": "UTC"}


def test_queue_script_reads_the_csrf_cookie_django_sets():
    script = (ROOT / "static/js/queue.js").read_text()
    assert f'var CSRF_COOKIE = "{django_settings.CSRF_COOKIE_NAME}";' in script


# Sending what the device kept


def test_a_queued_mood_is_saved_with_the_day_it_was_made_for(owner_client, owner, yesterday):
    response = send(owner_client, queued(owner, date=yesterday, waited_ms=60_000))
    assert response.json() == {
        "status": "saved",
        "message": f"Sent from this device: mood 7 for {yesterday:%A} {yesterday.day} "
        f"{yesterday:%B %Y}.",
    }
    entry = DayEntry.objects.get(user=owner)
    assert (entry.date, entry.mood, entry.note) == (yesterday, 7, "kept offline")


def test_recorded_on_is_the_local_date_the_mood_was_made_on_the_device(owner_client, owner, today):
    two_days = 2 * 24 * 3600 * 1000
    send(owner_client, queued(owner, date=today - datetime.timedelta(days=5), waited_ms=two_days))
    entry = DayEntry.objects.get(user=owner)
    assert entry.recorded_on == today - datetime.timedelta(days=2)


def test_the_same_mood_sent_twice_is_stored_once(owner_client, owner):
    entry = queued(owner)
    assert send(owner_client, entry).json()["status"] == "saved"
    stored = DayEntry.objects.get(user=owner)
    assert send(owner_client, entry | {"sent_at": now_ms()}).json()["status"] == "duplicate"
    assert DayEntry.objects.filter(user=owner).count() == 1
    assert DayEntry.objects.get(user=owner).updated_at == stored.updated_at


def test_a_mood_made_before_a_change_on_the_server_keeps_the_newer_one_and_says_so(
    owner_client, owner, today
):
    entry = queued(owner, mood=4, waited_ms=10 * 60_000)
    owner_client.post(f"/day/{today}/", {"mood": "8", "note": "from my other phone"})
    response = send(owner_client, entry)
    assert response.status_code == 200
    answer = response.json()
    assert answer["status"] == "stale"
    assert answer["message"].startswith("Not applied: mood 4 for today, made on this device at ")
    assert answer["message"].endswith("so the journal keeps mood 8.")
    stored = DayEntry.objects.get(user=owner)
    assert (stored.mood, stored.note) == (8, "from my other phone")


def test_a_mood_made_after_the_last_change_replaces_it(owner_client, owner, today):
    owner_client.post(f"/day/{today}/", {"mood": "8", "note": ""})
    time.sleep(0.01)
    response = send(owner_client, queued(owner, mood=3, waited_ms=1))
    assert response.json()["status"] == "saved"
    assert DayEntry.objects.get(user=owner).mood == 3


def test_a_wrong_device_clock_does_not_decide_what_is_newer(owner_client, owner, today):
    """A phone a day slow: made_at and sent_at are both a day early, the wait is what counts."""
    owner_client.post(f"/day/{today}/", {"mood": "8", "note": ""})
    time.sleep(0.01)
    day = 24 * 3600 * 1000
    entry = queued(owner, mood=2)
    entry |= {"made_at": entry["made_at"] - day, "sent_at": entry["sent_at"] - day}
    assert send(owner_client, entry).json()["status"] == "saved"
    assert DayEntry.objects.get(user=owner).mood == 2


def test_a_resend_whose_first_answer_was_lost_still_tells_the_person_it_is_saved(owner):
    entry = queued(owner, kind="act")
    lost = Client()  # the first answer never arrived
    lost.force_login(owner)
    send(lost, entry)
    again = Client()
    again.force_login(owner)
    assert send(again, entry).json() == {
        "status": "duplicate",
        "message": "Sent from this device: “Texted Sam” for today.",
    }
    assert KindnessAct.objects.filter(user=owner).count() == 1


def test_the_answer_goes_to_the_device_only_so_no_other_tab_repeats_it(owner_client, owner):
    answer = send(owner_client, queued(owner, kind="act")).json()
    assert answer["message"] == "Sent from this device: “Texted Sam” for today."
    assert "Sent from this device" not in owner_client.get("/").content.decode()


def test_an_act_sent_twice_is_stored_once(owner_client, owner):
    entry = queued(owner, kind="act")
    assert send(owner_client, entry).json()["status"] == "saved"
    assert send(owner_client, entry).json()["status"] == "duplicate"
    act = KindnessAct.objects.get(user=owner)
    assert (act.description, act.category, str(act.submission_key)) == (
        "Texted Sam",
        "checkin",
        entry["key"],
    )


def test_an_act_deleted_after_it_was_sent_is_not_added_back_by_a_copy_sent_again(
    owner_client, owner
):
    # The device's post arrived but its answer was lost, so it keeps a copy; meanwhile the
    # person deletes the act on the page. The copy, sent again, must not bring it back.
    entry = queued(owner, kind="act")
    assert send(owner_client, entry).json()["status"] == "saved"
    act = KindnessAct.objects.get(user=owner)
    owner_client.post(reverse("journal:delete_act", args=[act.pk]))
    answer = send(owner_client, entry).json()
    assert answer["status"] == "stale"
    assert answer["message"] == (
        "Not added again: “Texted Sam” for today was saved earlier and you have deleted it since."
    )
    assert not KindnessAct.objects.filter(user=owner).exists()
    # A new act with a key of its own is added as usual.
    assert send(owner_client, queued(owner, kind="act")).json()["status"] == "saved"


def test_a_form_sent_again_with_a_deleted_acts_key_adds_its_act_without_the_key(
    owner_client, owner
):
    # A form restored by the Back button after its act was deleted: what was typed is kept,
    # and the device's copy of the deleted act still does not come back.
    entry = queued(owner, kind="act")
    send(owner_client, entry)
    owner_client.post(reverse("journal:delete_act", args=[KindnessAct.objects.get().pk]))
    owner_client.post(
        reverse("journal:add_act", args=[owner.profile.today()]),
        {"description": "Texted Sam", "category": "checkin", "submission_key": entry["key"]},
    )
    act = KindnessAct.objects.get(user=owner)
    assert (act.description, act.submission_key) == ("Texted Sam", None)
    assert send(owner_client, entry).json()["status"] == "stale"
    assert KindnessAct.objects.filter(user=owner).count() == 1


def test_a_deleted_acts_key_holds_back_its_own_persons_copies_only(owner_client, owner, stranger):
    entry = queued(owner, kind="act")
    send(owner_client, entry)
    owner_client.post(reverse("journal:delete_act", args=[KindnessAct.objects.get().pk]))
    stranger_client = Client()
    stranger_client.force_login(stranger)
    theirs = queued(stranger, kind="act", key=entry["key"])
    assert send(stranger_client, theirs).json()["status"] == "saved"
    assert KindnessAct.objects.get().user == stranger


REUSED_END = (
    "It came with the key of a different entry this journal already has, so nothing was "
    "changed; log it again if you meant it."
)


@pytest.mark.parametrize(
    "other",
    [{"description": "Phoned Gran"}, {"category": "gift"}, {"date": "yesterday"}],
    ids=["description", "category", "date"],
)
def test_a_key_that_comes_back_with_a_different_act_is_refused_and_adds_nothing(
    owner_client, owner, yesterday, other
):
    entry = queued(owner, kind="act")
    assert send(owner_client, entry).json()["status"] == "saved"
    if other.get("date"):
        other = {"date": yesterday.isoformat()}
    response = send(owner_client, entry | other)
    assert response.status_code == 409
    assert response.json()["status"] == "reused"
    assert response.json()["message"].startswith("Not saved: “")
    assert response.json()["message"].endswith(REUSED_END)
    act = KindnessAct.objects.get(user=owner)
    assert (act.description, act.category) == ("Texted Sam", "checkin")


@pytest.mark.parametrize("other", [{"mood": 2}, {"note": "something else"}])
def test_a_key_that_comes_back_with_a_different_mood_is_refused_and_changes_nothing(
    owner_client, owner, other
):
    entry = queued(owner)
    assert send(owner_client, entry).json()["status"] == "saved"
    response = send(owner_client, entry | other | {"sent_at": now_ms()})
    assert response.status_code == 409
    answer = response.json()
    assert answer["status"] == "reused"
    assert answer["message"].startswith(f"Not saved: mood {(entry | other)['mood']} for today.")
    stored = DayEntry.objects.get(user=owner)
    assert (stored.mood, stored.note) == (7, "kept offline")


def test_a_key_that_comes_back_for_another_day_is_refused_and_changes_nothing(
    owner_client, owner, yesterday
):
    entry = queued(owner)
    send(owner_client, entry)
    response = send(owner_client, entry | {"date": yesterday.isoformat()})
    assert response.json()["status"] == "reused"
    assert list(DayEntry.objects.values_list("date", "mood")) == [(owner.profile.today(), 7)]


def test_a_resend_after_the_day_was_changed_online_keeps_the_change_and_says_so(
    owner_client, owner, today
):
    entry = queued(owner, mood=4)
    send(owner_client, entry)  # saved; suppose its answer was lost
    time.sleep(0.01)
    owner_client.post(f"/day/{today}/", {"mood": "8", "note": ""})
    answer = send(owner_client, entry | {"sent_at": now_ms()}).json()
    assert answer["status"] == "stale"
    assert answer["message"].endswith("so the journal keeps mood 8.")
    assert DayEntry.objects.get(user=owner).mood == 8


def test_a_mood_already_in_the_journal_is_reported_saved_whatever_its_key(
    owner_client, owner, today
):
    """A form post whose answer never came back, then kept and sent again under a new key."""
    owner_client.post(f"/day/{today}/", {"mood": "7", "note": "kept offline"})
    answer = send(owner_client, queued(owner, waited_ms=60_000)).json()
    assert answer == {"status": "duplicate", "message": "Sent from this device: mood 7 for today."}
    assert DayEntry.objects.get(user=owner).mood == 7


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", ["mood", "act"])
def test_two_tabs_sending_the_same_entry_at_once_store_it_once(kind):
    owner = make_user("alice")
    entry = queued(owner, kind=kind)

    def tab():
        client = Client()
        client.force_login(owner)
        return send(client, entry).json()["status"]

    outcomes = at_once(tab, tab, tab)
    assert all(outcome in ("saved", "duplicate") for outcome in outcomes), outcomes
    assert "saved" in outcomes
    model = DayEntry if kind == "mood" else KindnessAct
    assert model.objects.filter(user=owner).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_copy_sent_while_its_act_is_being_deleted_never_brings_it_back():
    owner = make_user("alice")
    for _ in range(10):
        entry = queued(owner, kind="act")
        sender = Client()
        sender.force_login(owner)
        assert send(sender, entry).json()["status"] == "saved"
        act = KindnessAct.objects.get(user=owner)

        def delete(pk=act.pk):
            deleter = Client()
            deleter.force_login(owner)
            return deleter.post(reverse("journal:delete_act", args=[pk])).status_code

        def resend(entry=entry):
            client = Client()
            client.force_login(owner)
            return send(client, entry).json()["status"]

        deleted, answer = at_once(delete, resend)
        assert deleted == 302 and answer in ("duplicate", "stale"), (deleted, answer)
        assert not KindnessAct.objects.filter(user=owner).exists()


@pytest.mark.django_db(transaction=True)
def test_an_online_save_racing_an_older_queued_mood_is_never_overwritten():
    owner = make_user("alice")
    today = owner.profile.today()
    old = queued(owner, mood=4, waited_ms=60_000)

    def online():
        client = Client()
        client.force_login(owner)
        return client.post(f"/day/{today}/", {"mood": "9", "note": ""}).status_code

    def replay():
        client = Client()
        client.force_login(owner)
        return send(client, old).json()["status"]

    outcomes = at_once(online, replay)
    # Whichever came first, the online save is the newer one and stays.
    assert DayEntry.objects.get(user=owner).mood == 9, outcomes


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"mood": 11}, "Mood is a whole number from 1 (worst) to 10 (best)."),
        ({"mood": None}, "Choose your mood from 1 (worst) to 10 (best)."),
        ({"note": "x" * 5001}, "Ensure this value has at most 5000 characters"),
    ],
)
def test_a_bad_mood_is_refused_with_its_reason_and_nothing_changes(
    owner_client, owner, fields, reason
):
    response = send(owner_client, queued(owner) | fields)
    assert response.status_code == 400
    assert response.json()["status"] == "invalid"
    assert reason in response.json()["message"]
    assert not DayEntry.objects.exists()


@pytest.mark.parametrize(
    ("kind", "fields", "problem"),
    [
        ("mood", {"mood": 11}, "Mood is a whole number from 1 (worst) to 10 (best)."),
        ("act", {"description": " "}, "Describe what you did."),
        ("act", {"date": "2999-01-01"}, "That day hasn't happened yet: you can log today or"),
        ("mood", {"made_at": -1}, CLOCK_PROBLEM),
        ("mood", {"date": "31/12/2026"}, "It could not be read."),
    ],
)
def test_a_refused_entry_is_answered_with_its_reason_alone_for_the_device_to_show_by_it(
    owner_client, owner, kind, fields, problem
):
    answer = send(owner_client, queued(owner, kind=kind) | fields).json()
    assert answer["status"] == "invalid"
    assert answer["problem"].startswith(problem)
    assert answer["message"].endswith(answer["problem"])
    assert not answer["problem"].startswith("Not saved")


def test_an_unreadable_or_too_large_send_is_answered_with_its_reason_alone(owner_client, owner):
    assert send_text(owner_client, "not json").json()["problem"] == "It could not be read."
    too_large = send(owner_client, queued(owner, note="x" * MAX_SEND_BYTES))
    assert too_large.json()["problem"] == "It is too large to send."


def test_an_entry_for_a_day_that_has_not_happened_yet_is_refused(owner_client, owner, today):
    tomorrow = today + datetime.timedelta(days=1)
    response = send(owner_client, queued(owner, kind="act", date=tomorrow))
    assert response.status_code == 400
    assert "That day hasn't happened yet" in response.json()["message"]
    assert not KindnessAct.objects.exists()


def test_an_empty_act_is_refused(owner_client, owner):
    response = send(owner_client, queued(owner, kind="act", description="   "))
    assert response.status_code == 400
    assert "Describe what you did." in response.json()["message"]
    assert not KindnessAct.objects.exists()


@pytest.mark.parametrize(("kind", "field"), [("mood", "note"), ("act", "description")])
@pytest.mark.parametrize("broken", ["\ud800", "Texted \udc00Sam", "Hugged Jo \ud83d"], ids=repr)
def test_text_with_half_an_emoji_is_refused_with_its_reason_and_nothing_is_stored(
    owner_client, owner, kind, field, broken
):
    # json.dumps writes a lone surrogate as an escape, as a device's JSON.stringify does.
    response = send(owner_client, queued(owner, kind=kind) | {field: broken})
    assert response.status_code == 400
    assert response.json()["status"] == "invalid"
    assert response.json()["message"].endswith(
        "This text has a broken character in it (half of an emoji or symbol): delete it and "
        "type it again."
    )
    assert not DayEntry.objects.exists()
    assert not KindnessAct.objects.exists()


@pytest.mark.parametrize(
    ("kind", "field", "reason"),
    [
        ("mood", "note", "The note must be text."),
        ("act", "description", "The description must be text."),
    ],
)
@pytest.mark.parametrize(
    "value", [5, 0, 1.5, True, False, [], ["Texted Sam"], {}, {"text": "Texted Sam"}], ids=repr
)
def test_a_note_or_description_that_is_not_text_is_refused_and_nothing_is_stored(
    owner_client, owner, kind, field, reason, value
):
    response = send(owner_client, queued(owner, kind=kind) | {field: value})
    assert response.status_code == 400
    assert response.json()["status"] == "invalid"
    assert response.json()["message"].endswith(reason)
    assert not DayEntry.objects.exists()
    assert not KindnessAct.objects.exists()


def test_a_mood_sent_with_no_note_is_saved_with_none(owner_client, owner):
    assert send(owner_client, queued(owner) | {"note": None}).json()["status"] == "saved"
    assert DayEntry.objects.get(user=owner).note == ""


@pytest.mark.parametrize(("kind", "field"), [("mood", "note"), ("act", "description")])
def test_a_whole_emoji_sent_as_its_two_json_escapes_is_kept(owner_client, owner, kind, field):
    text = "Hugged Jo \U0001f600"
    assert "\\ud83d\\ude00" in json.dumps(text)
    assert send(owner_client, queued(owner, kind=kind) | {field: text}).status_code == 200
    model = DayEntry if kind == "mood" else KindnessAct
    assert getattr(model.objects.get(user=owner), field) == text


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        "[1, 2]",
        json.dumps({"kind": "mood"}),
        json.dumps({"key": "not-a-key", "kind": "mood", "date": "2026-01-01"}),
    ],
)
def test_an_unreadable_entry_is_refused(owner_client, owner, body):
    response = owner_client.post("/offline/send/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["status"] == "invalid"
    assert not DayEntry.objects.exists()


@pytest.mark.parametrize(
    "text",
    ["[" * 60_000, "[" * 30_000 + "]" * 30_000, '{"a":' * 8_000 + "1" + "}" * 8_000],
    ids=["unclosed arrays", "closed arrays", "objects"],
)
def test_json_nested_too_deep_to_read_is_refused_as_unreadable(owner_client, owner, text):
    assert len(text) < MAX_SEND_BYTES
    response = send_text(owner_client, text)
    assert response.status_code == 400
    assert (
        response.json()["message"]
        == "Not saved: an entry kept on this device. It could not be read."
    )
    assert not DayEntry.objects.exists()


@pytest.mark.parametrize(
    "clock",
    [
        {"made_at": 0, "sent_at": 10**14},  # year 5138
        {"made_at": -1},
        {"sent_at": -(10**14)},
        {"made_at": 10**30},
        {"sent_at": 1e300},
        {"made_at": 1.5},
        {"made_at": "soon"},
        {"sent_at": None},
        {"made_at": True},
        {"made_at": [1]},
    ],
    ids=repr,
)
def test_a_time_no_device_clock_could_give_is_refused_with_its_reason(owner_client, owner, clock):
    response = send(owner_client, queued(owner) | clock)
    assert response.status_code == 400
    message = f"Not saved: an entry kept on this device. {CLOCK_PROBLEM}"
    assert response.json() == {"status": "invalid", "message": message, "problem": CLOCK_PROBLEM}
    assert not DayEntry.objects.exists()


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity"])
def test_json_numbers_that_are_not_numbers_are_refused(owner_client, owner, number):
    text = json.dumps(queued(owner) | {"made_at": "@"}).replace('"@"', number)
    response = send_text(owner_client, text)
    assert response.status_code == 400
    assert response.json()["message"].endswith(CLOCK_PROBLEM)
    assert not DayEntry.objects.exists()


@pytest.mark.parametrize("kind", ["mood", "act"])
@pytest.mark.parametrize("field", ["key", "kind", "date", "account", "mood", "note", "category"])
@pytest.mark.parametrize(
    "value", [None, 0, -1, 10**30, 1.5, True, "x" * 300, [], {"a": 1}], ids=repr
)
def test_no_value_of_any_field_breaks_the_server(owner_client, owner, kind, field, value):
    response = send(owner_client, queued(owner, kind=kind) | {field: value})
    assert response.status_code in (200, 400, 409), response.content
    if response.status_code == 400:
        assert response.json()["status"] == "invalid"
        assert response.json()["message"].startswith("Not saved: ")


@pytest.mark.parametrize(
    ("date", "reason"),
    [
        ("9999-12-31", "That day hasn't happened yet"),
        ("1900-01-01", "KindJournal keeps days from 1 January 2000 on."),
        ("0001-01-01", "KindJournal keeps days from 1 January 2000 on."),
        ("2026-02-30", "It could not be read."),
        ("31/12/2026", "It could not be read."),
    ],
)
def test_a_day_far_away_or_not_a_day_is_refused(owner_client, owner, date, reason):
    response = send(owner_client, queued(owner) | {"date": date})
    assert response.status_code == 400
    assert reason in response.json()["message"]
    assert not DayEntry.objects.exists()


def test_a_phone_whose_clock_says_1970_still_gets_its_entry_saved(owner_client, owner, today):
    # Made and sent by the same wrong clock, ten seconds apart: what counts is the wait.
    response = send(owner_client, queued(owner) | {"made_at": 0, "sent_at": 10_000})
    assert response.json()["status"] == "saved"
    assert DayEntry.objects.get(user=owner).recorded_on == today


def test_an_entry_made_long_after_the_day_it_belongs_to_is_saved_for_that_day(
    owner_client, owner, today
):
    day = datetime.date(2000, 1, 1)
    assert send(owner_client, queued(owner, date=day)).json()["status"] == "saved"
    entry = DayEntry.objects.get(user=owner)
    assert (entry.date, entry.recorded_on) == (day, today)


def test_a_wait_longer_than_the_day_is_old_records_the_day_itself(owner_client, owner, today):
    """A wait that claims the entry was made before its own day began (a clock put right in
    between) cannot move `recorded_on` before the day."""
    entry = queued(owner) | {"made_at": 0}
    assert send(owner_client, entry).json()["status"] == "saved"
    assert DayEntry.objects.get(user=owner).recorded_on == today


def test_an_entry_larger_than_the_limit_is_refused_unread(owner_client, owner):
    entry = queued(owner, note="x" * MAX_SEND_BYTES)
    response = send(owner_client, entry)
    assert response.status_code == 413
    assert not DayEntry.objects.exists()


def test_an_entry_made_under_another_account_is_never_saved_as_this_ones(
    stranger_client, owner, stranger
):
    response = send(stranger_client, queued(owner))
    assert response.status_code == 409
    assert response.json()["status"] == "other_account"
    assert not DayEntry.objects.exists()


def test_logged_out_the_send_is_redirected_to_log_in_and_nothing_is_saved(client, owner):
    response = send(client, queued(owner))
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert not DayEntry.objects.exists()


def test_the_session_check_answers_204_logged_in_and_leaves_the_saves_message(owner_client, today):
    owner_client.post(f"/day/{today}/", {"mood": 7})
    response = owner_client.get("/offline/session/")
    assert (response.status_code, response.content) == (204, b"")
    assert "Saved mood 7 for today." in owner_client.get("/").content.decode()


def test_logged_out_the_session_check_is_redirected_to_log_in_like_the_form_posts(client):
    response = client.get("/offline/session/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_sending_needs_the_csrf_token(owner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    assert send(client, queued(owner)).status_code == 403
    client.get("/")  # sets the csrftoken cookie, as a page visit does
    token = client.cookies[django_settings.CSRF_COOKIE_NAME].value
    assert send(client, queued(owner), HTTP_X_CSRFTOKEN=token).status_code == 200
    assert DayEntry.objects.count() == 1


def test_sending_takes_only_post(owner_client):
    assert owner_client.get("/offline/send/").status_code == 405


def queries_to_send(client, entry):
    with CaptureQueriesContext(connection) as captured:
        assert send(client, entry).status_code == 200
    return len(captured)


@pytest.mark.parametrize("kind", ["mood", "act"])
def test_sending_costs_the_same_queries_with_a_year_of_data_as_with_none(
    owner_client, owner, today, kind
):
    long_ago = today - datetime.timedelta(days=400)
    empty = queries_to_send(owner_client, queued(owner, kind=kind, date=long_ago))
    for offset in range(365):
        day = today - datetime.timedelta(days=offset)
        DayEntry.objects.create(user=owner, date=day, mood=5, recorded_on=day)
        KindnessAct.objects.create(user=owner, date=day, description="x")
    earlier = long_ago - datetime.timedelta(days=1)
    assert queries_to_send(owner_client, queued(owner, kind=kind, date=earlier)) == empty
