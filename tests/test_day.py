import datetime
import re
import uuid

import pytest
from django.urls import reverse

from kindjournal.journal.models import DayEntry, KindnessAct
from tests.conftest import make_user


def day_url(day):
    return reverse("journal:day", args=[day])


def acts_url(day):
    return reverse("journal:add_act", args=[day])


def test_anonymous_visitor_sees_the_landing_page_with_sign_up_and_log_in(client, db):
    page = client.get("/").content.decode()
    assert "Does helping others lift" in page
    assert reverse("signup") in page and reverse("login") in page


def test_anonymous_visitor_is_sent_to_log_in_from_a_day(client, db):
    response = client.get(day_url(datetime.date(2026, 1, 2)))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_today_shows_ten_mood_buttons_and_the_act_form(owner_client):
    page = owner_client.get("/").content.decode()
    assert page.count('name="mood"') == 10
    assert "1 = worst" in page and "10 = best" in page
    assert 'name="description"' in page and 'name="category"' in page


def test_rating_today_saves_the_mood_and_returns_to_today(owner_client, owner, today):
    response = owner_client.post(day_url(today), {"mood": "7", "note": "Good walk"})
    assert response.status_code == 302 and response.url == "/"
    stored = DayEntry.objects.get(user=owner)
    assert (stored.date, stored.mood, stored.note, stored.recorded_on) == (
        today,
        7,
        "Good walk",
        today,
    )
    page = owner_client.get("/").content.decode()
    assert "Saved mood 7 for today." in page
    checked = re.search(r'<input type="radio" name="mood" value="(\d+)"[^>]* checked>', page)
    assert checked and checked.group(1) == "7"


def test_saving_a_past_day_again_updates_it(owner_client, owner, yesterday, today):
    owner_client.post(day_url(yesterday), {"mood": "3", "note": "rough"})
    response = owner_client.post(day_url(yesterday), {"mood": "5", "note": ""})
    assert response.url == day_url(yesterday)
    stored = DayEntry.objects.get(user=owner)
    assert (stored.mood, stored.note, stored.recorded_on) == (5, "", today)


@pytest.mark.parametrize(
    ("mood", "message"),
    [
        ("0", "Mood is a whole number from 1 (worst) to 10 (best)."),
        ("11", "Mood is a whole number from 1 (worst) to 10 (best)."),
        ("seven", "Mood is a whole number from 1 (worst) to 10 (best)."),
        ("7.5", "Mood is a whole number from 1 (worst) to 10 (best)."),
        ("", "Choose your mood from 1 (worst) to 10 (best)."),
    ],
)
def test_bad_mood_is_refused_with_a_message_and_nothing_is_saved(
    owner_client, today, mood, message
):
    response = owner_client.post(day_url(today), {"mood": mood})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not DayEntry.objects.exists()


def test_bad_mood_does_not_change_an_existing_day(owner_client, owner, today):
    owner_client.post(day_url(today), {"mood": "6", "note": "kept"})
    owner_client.post(day_url(today), {"mood": "12", "note": "lost?"})
    stored = DayEntry.objects.get(user=owner)
    assert (stored.mood, stored.note) == (6, "kept")


def test_note_over_5000_characters_is_refused(owner_client, today):
    response = owner_client.post(day_url(today), {"mood": "5", "note": "x" * 5001})
    assert response.status_code == 200
    assert "Ensure this value has at most 5000 characters (it has 5001)." in (
        response.content.decode()
    )
    assert not DayEntry.objects.exists()


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("tomorrow", "hasn&#x27;t happened yet"),
        (datetime.date(1999, 12, 31), "from 1 January 2000 on"),
        (datetime.date(1, 1, 1), "from 1 January 2000 on"),
    ],
)
def test_future_days_and_days_before_2000_are_refused(owner_client, today, day, message):
    day = today + datetime.timedelta(days=1) if day == "tomorrow" else day
    page = owner_client.get(day_url(day))
    assert page.status_code == 200
    assert page.content.decode().count(message) == 1
    assert 'name="mood"' not in page.content.decode()
    for url, data in [(day_url(day), {"mood": "5"}), (acts_url(day), {"description": "x"})]:
        response = owner_client.post(url, {**data, "category": "other"})
        assert response.status_code == 200 and message in response.content.decode()
    assert not DayEntry.objects.exists() and not KindnessAct.objects.exists()


@pytest.mark.parametrize("path", ["/day/2026-02-30/", "/day/2026-13-01/", "/day/2026-1-1/"])
def test_impossible_dates_in_the_url_are_404(owner_client, path):
    assert owner_client.get(path).status_code == 404
    assert owner_client.post(path, {"mood": "5"}).status_code == 404
    assert not DayEntry.objects.exists()


def test_adding_acts_lists_them_on_the_day_in_order(owner_client, owner, yesterday):
    owner_client.post(acts_url(yesterday), {"description": "Texted Sam", "category": "checkin"})
    response = owner_client.post(
        acts_url(yesterday), {"description": "  Cooked for Jo ", "category": "meal"}
    )
    assert response.url == day_url(yesterday)
    assert list(KindnessAct.objects.values_list("description", "category", "date")) == [
        ("Texted Sam", "checkin", yesterday),
        ("Cooked for Jo", "meal", yesterday),
    ]
    page = owner_client.get(day_url(yesterday)).content.decode()
    assert page.index("Texted Sam") < page.index("Cooked for Jo")
    assert "Check-in message or call" in page and "Meal or food" in page


def test_an_act_can_be_logged_before_the_mood(owner_client, owner, today):
    owner_client.post(acts_url(today), {"description": "Flowers for Ana", "category": "gift"})
    assert KindnessAct.objects.filter(user=owner, date=today).exists()
    assert not DayEntry.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"description": "", "category": "gift"}, "Describe what you did."),
        ({"description": "   ", "category": "gift"}, "Describe what you did."),
        ({"description": "x" * 201, "category": "gift"}, "at most 200 characters"),
        ({"description": "Bribe", "category": "bribe"}, "Choose one of the listed kinds of act."),
    ],
)
def test_bad_acts_are_refused_with_a_message(owner_client, today, data, message):
    response = owner_client.post(acts_url(today), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not KindnessAct.objects.exists()


def test_a_double_submitted_act_form_adds_one_act(owner_client, today):
    form = {
        "description": "Listened to Kim",
        "category": "listening",
        "submission_key": uuid.uuid4(),
    }
    owner_client.post(acts_url(today), form)
    owner_client.post(acts_url(today), form)
    assert KindnessAct.objects.count() == 1


def test_a_double_submitted_mood_form_keeps_one_day(owner_client, today):
    owner_client.post(day_url(today), {"mood": "8"})
    owner_client.post(day_url(today), {"mood": "8"})
    assert DayEntry.objects.count() == 1


def test_each_rendered_act_form_carries_a_fresh_submission_key(owner_client):
    first = owner_client.get("/").content.decode()
    second = owner_client.get("/").content.decode()
    key = 'name="submission_key" value="'
    assert key in first
    assert first.split(key)[1][:36] != second.split(key)[1][:36]


def test_deleting_an_act_removes_it(owner_client, owner, yesterday):
    act = KindnessAct.objects.create(user=owner, date=yesterday, description="x", category="other")
    response = owner_client.post(reverse("journal:delete_act", args=[act.pk]))
    assert response.url == day_url(yesterday)
    assert not KindnessAct.objects.exists()


def test_the_message_after_deleting_an_act_names_its_day_not_its_description(
    owner_client, owner, today
):
    # Messages wait in a cookie that is signed, not encrypted: the description, encrypted in the
    # database, stays out of it.
    act = KindnessAct.objects.create(
        user=owner, date=today, description="Sat with Jo at the clinic", category="listening"
    )
    response = owner_client.post(reverse("journal:delete_act", args=[act.pk]))
    page = owner_client.get(response.url).content.decode()
    assert "Deleted an act of kindness from today." in page
    assert "clinic" not in page


def test_delete_by_get_is_not_allowed(owner_client, owner, today):
    act = KindnessAct.objects.create(user=owner, date=today, description="x", category="other")
    assert owner_client.get(reverse("journal:delete_act", args=[act.pk])).status_code == 405
    assert owner_client.get(acts_url(today)).status_code == 405
    assert KindnessAct.objects.filter(pk=act.pk).exists()


def test_a_stranger_cannot_delete_someone_elses_act(client, owner, stranger, today):
    act = KindnessAct.objects.create(user=owner, date=today, description="x", category="other")
    client.force_login(stranger)
    assert client.post(reverse("journal:delete_act", args=[act.pk])).status_code == 404
    assert KindnessAct.objects.filter(pk=act.pk).exists()


def test_a_day_url_shows_only_the_logged_in_persons_day(client, owner, stranger, today):
    DayEntry.objects.save_day(owner, today, mood=2, note="ownersecretnote", recorded_on=today)
    KindnessAct.objects.create(
        user=owner, date=today, description="ownersecretact", category="gift"
    )
    client.force_login(stranger)
    page = client.get(day_url(today)).content.decode()
    assert "ownersecret" not in page
    assert "Update mood" not in page  # the stranger's own day is still empty
    client.post(day_url(today), {"mood": "9", "note": "mine"})
    client.post(acts_url(today), {"description": "stranger act", "category": "other"})
    assert DayEntry.objects.get(user=owner).mood == 2
    assert DayEntry.objects.get(user=stranger).mood == 9
    assert list(KindnessAct.objects.for_user(owner).values_list("description", flat=True)) == [
        "ownersecretact"
    ]
    assert KindnessAct.objects.for_user(stranger).count() == 1


def test_anonymous_posts_go_to_log_in_and_change_nothing(client, owner, today):
    act = KindnessAct.objects.create(user=owner, date=today, description="x", category="other")
    for url, data in [
        (day_url(today), {"mood": "5"}),
        (acts_url(today), {"description": "y", "category": "other"}),
        (reverse("journal:delete_act", args=[act.pk]), {}),
    ]:
        response = client.post(url, data)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not DayEntry.objects.exists()
    assert list(KindnessAct.objects.values_list("pk", flat=True)) == [act.pk]


def test_a_reused_form_key_with_a_different_act_still_records_it(owner_client, today):
    key = uuid.uuid4()
    owner_client.post(
        acts_url(today), {"description": "A", "category": "gift", "submission_key": key}
    )
    owner_client.post(
        acts_url(today), {"description": "B", "category": "gift", "submission_key": key}
    )
    assert sorted(KindnessAct.objects.values_list("description", flat=True)) == ["A", "B"]


def test_a_mangled_form_key_is_ignored_not_an_invisible_error(owner_client, today):
    response = owner_client.post(
        acts_url(today), {"description": "A", "category": "gift", "submission_key": "nope"}
    )
    assert response.status_code == 302
    assert KindnessAct.objects.get().description == "A"


def test_a_note_with_browser_line_breaks_is_stored_with_newlines_and_counted_once(
    owner_client, owner, today
):
    note = "line\r\n" * 1000  # 6000 characters as sent, 5000 as typed
    response = owner_client.post(day_url(today), {"mood": "5", "note": note})
    assert response.status_code == 302
    assert DayEntry.objects.get(user=owner).note == "line\n" * 1000


def test_the_persons_time_zone_decides_today_in_the_views(client, db, monkeypatch):
    noon_utc = datetime.datetime(2026, 6, 1, 12, 0, tzinfo=datetime.UTC)
    monkeypatch.setattr("django.utils.timezone.now", lambda: noon_utc)
    user = make_user("kiri", time_zone="Pacific/Kiritimati")  # UTC+14: already 2 June
    client.force_login(user)
    assert "Tuesday 2 June 2026" in client.get("/").content.decode()
    response = client.post(day_url(datetime.date(2026, 6, 2)), {"mood": "6"})
    assert response.status_code == 302 and response.url == "/"
    assert DayEntry.objects.get(user=user).recorded_on == datetime.date(2026, 6, 2)


def test_html_emoji_and_right_to_left_text_are_stored_exactly_and_shown_escaped(
    owner_client, owner, today
):
    note = '<script>alert("x")</script> 🌻 שלום עולם'
    description = "<b>flowers</b> for مريم 💐"
    owner_client.post(day_url(today), {"mood": "6", "note": note})
    owner_client.post(acts_url(today), {"description": description, "category": "gift"})
    assert DayEntry.objects.get(user=owner).note == note
    assert KindnessAct.objects.get(user=owner).description == description
    page = owner_client.get("/").content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; 🌻 שלום עולם" in page
    assert "&lt;b&gt;flowers&lt;/b&gt; for مريم 💐" in page
    assert "<script>alert" not in page


@pytest.mark.parametrize("acts", [1, 40])
def test_day_page_has_the_same_number_of_queries_whatever_the_acts(
    owner_client, owner, today, django_assert_num_queries, acts
):
    DayEntry.objects.create(user=owner, date=today, mood=6, recorded_on=today)
    for n in range(acts):
        KindnessAct.objects.create(user=owner, date=today, description=f"act {n}", category="other")
    # Session, user, profile, the day's entry; on Today the progress line (the newest logged
    # dates and the acts total) and today's acts with those "On this day" looks back to.
    with django_assert_num_queries(7):
        page = owner_client.get("/").content.decode()
    assert page.count("btn-outline-danger") == acts


def test_every_error_on_the_day_page_is_tied_to_its_input_once(owner_client, today):
    url = f"/day/{today}/"
    page = owner_client.post(url, {"mood": "11", "note": "x" * 5001}).content.decode()
    assert page.count('id="mood-error"') == 1
    assert 'aria-describedby="mood-error"' in page
    assert 'aria-describedby="id_note_error"' in page and page.count('id="id_note_error"') == 1
    page = owner_client.post(
        f"/day/{today}/acts/", {"description": "  ", "category": "bribe"}
    ).content.decode()
    assert page.count("Describe what you did.") == 1
    for name in ("description", "category"):
        assert f'aria-describedby="id_{name}_error"' in page
        assert page.count(f'id="id_{name}_error"') == 1
