"""Today's gentle progress and "On this day", on the page a person sees, at frozen dates."""

import datetime
import html
import re

import pytest
import time_machine
from django.urls import reverse

from kindjournal.journal import progress
from kindjournal.journal.models import DayEntry, KindnessAct
from tests.conftest import make_user


@pytest.fixture
def on(client, owner):
    """on(date) -> Today's page text for the owner (time zone UTC) with the clock at noon."""
    travels = []

    def today_page(date):
        travel = time_machine.travel(
            datetime.datetime(date.year, date.month, date.day, 12, tzinfo=datetime.UTC),
            tick=False,
        )
        travel.start()
        travels.append(travel)
        client.force_login(owner)
        response = client.get("/")
        assert response.status_code == 200
        return html.unescape(re.sub(r"\s+", " ", response.content.decode()))

    yield today_page
    for travel in reversed(travels):
        travel.stop()


def mood(user, date, value=6):
    DayEntry.objects.create(user=user, date=date, mood=value, recorded_on=date)


def act(user, date, description="Helped a neighbour"):
    KindnessAct.objects.create(user=user, date=date, description=description)


def d(text):
    return datetime.date.fromisoformat(text)


def test_progress_counts_the_days_logged_this_month_and_this_week(on, owner):
    # Wednesday 9 December 2026; the week began on Monday the 7th.
    act(owner, d("2026-11-30"))  # last month, and last week
    mood(owner, d("2026-12-01"))
    mood(owner, d("2026-12-07"))
    act(owner, d("2026-12-07"))  # a mood and an act: still one day
    act(owner, d("2026-12-08"))
    page = on(d("2026-12-09"))
    assert "This month: 3 of 9 days logged · this week: 2 of 3" in page
    assert "Acts of kindness so far: 3" in page


def test_on_the_first_of_the_month_the_week_still_counts_the_days_before_it(on, owner):
    # Tuesday 1 December 2026: the week began in November.
    mood(owner, d("2026-11-30"))
    mood(owner, d("2026-12-01"))
    assert "This month: 1 of 1 day logged · this week: 2 of 2" in on(d("2026-12-01"))


def test_on_a_monday_the_week_starts_again_but_the_month_goes_on(on, owner):
    # Monday 7 December 2026.
    mood(owner, d("2026-12-05"))
    mood(owner, d("2026-12-06"))
    assert "This month: 2 of 7 days logged · this week: 0 of 1" in on(d("2026-12-07"))


def test_the_acts_total_counts_every_act_ever_and_only_grows(on, owner):
    act(owner, d("2019-05-01"))
    act(owner, d("2026-12-08"))
    assert "Acts of kindness so far: 2" in on(d("2026-12-09"))
    act(owner, d("2026-12-09"))
    assert "Acts of kindness so far: 3" in on(d("2026-12-09"))
    # Weeks without logging: the total stays, nothing is reset.
    assert "Acts of kindness so far: 3" in on(d("2027-03-01"))


def test_after_a_gap_today_says_welcome_back_instead_of_counting_a_loss(on, owner):
    mood(owner, d("2026-12-05"))  # then three days with nothing
    page = on(d("2026-12-09"))
    assert "Welcome back." in page
    assert "streak" not in page.lower()


def test_no_welcome_back_after_a_short_pause(on, owner):
    mood(owner, d("2026-12-06"))  # two quiet days, not three
    page = on(d("2026-12-09"))
    assert "Welcome back" not in page
    assert "This month: 1 of 9 days logged" in page


def test_a_newcomer_sees_no_progress_line_and_no_welcome_back(on):
    page = on(d("2026-12-09"))
    assert "This month:" not in page and "Welcome back" not in page
    assert "On this day" not in page


def test_on_this_day_shows_what_the_person_did_a_year_ago_today(on, owner):
    act(owner, d("2025-12-09"), "Cooked a meal for Ana")
    act(owner, d("2025-12-09"), "Ana's birthday card")
    act(owner, d("2026-11-09"), "Called mum")  # a month ago: not needed, a year ago has acts
    page = on(d("2026-12-09"))
    assert "On this day" in page
    assert "A year ago today you cooked a meal for Ana." in page
    assert "A year ago today you logged “Ana's birthday card”." in page
    assert "Called mum" not in page
    assert f'href="{reverse("journal:day", args=[d("2025-12-09")])}"' in page


def test_on_this_day_falls_back_to_a_month_ago(on, owner):
    act(owner, d("2026-11-09"), "Listened to Sam for an hour")
    page = on(d("2026-12-09"))
    assert "A month ago today you listened to Sam for an hour." in page


def test_on_this_day_is_hidden_when_there_is_nothing_a_year_or_a_month_ago(on, owner):
    mood(owner, d("2025-12-09"))  # a mood alone is no act of kindness
    act(owner, d("2025-12-10"))
    act(owner, d("2026-11-08"))
    page = on(d("2026-12-09"))
    assert "On this day" not in page
    assert "This month:" in page


def test_a_person_with_nothing_a_year_ago_sees_the_rest_of_today(on, owner):
    mood(owner, d("2026-12-08"))
    page = on(d("2026-12-09"))
    assert "On this day" not in page
    assert 'name="mood"' in page and "This month: 1 of 9 days logged" in page


def test_on_29_february_a_year_ago_is_28_february(on, owner):
    act(owner, d("2027-02-28"), "Drove Grandad to the clinic")
    page = on(d("2028-02-29"))
    assert "A year ago, on 28 February, you drove Grandad to the clinic." in page


def test_acts_of_a_29_february_come_back_on_28_february_the_next_year(on, owner):
    act(owner, d("2024-02-28"), "Sent flowers to Jo")
    act(owner, d("2024-02-29"), "Shovelled snow for next door")
    page = on(d("2025-02-28"))
    assert "A year ago today you sent flowers to Jo." in page
    assert "A year ago, on 29 February, you shovelled snow for next door." in page


def test_on_29_february_with_nothing_a_year_ago_a_month_ago_is_29_january(on, owner):
    act(owner, d("2024-01-29"), "Made soup for Lee")
    assert "A month ago today you made soup for Lee." in on(d("2024-02-29"))


def test_a_busy_day_a_year_ago_shows_five_acts_and_links_to_the_rest(on, owner):
    for number in range(7):
        act(owner, d("2025-12-09"), f"Helped stall {number}")
    page = on(d("2026-12-09"))
    assert page.count("A year ago today you helped stall") == progress.ON_THIS_DAY_LIMIT
    assert "See all of Tuesday 9 December 2025" in page


def test_the_setting_turns_on_this_day_off_and_on(on, client, owner):
    act(owner, d("2025-12-09"), "Cooked a meal for Ana")
    assert "On this day" in on(d("2026-12-09"))
    settings = {"display_name": "", "time_zone": "UTC", "email": ""}
    response = client.post(reverse("account_settings"), settings)  # the box left unticked
    assert response.status_code == 302
    owner.profile.refresh_from_db()
    assert owner.profile.show_on_this_day is False
    assert "On this day" not in on(d("2026-12-09"))
    client.post(reverse("account_settings"), {**settings, "show_on_this_day": "on"})
    owner.profile.refresh_from_db()
    assert owner.profile.show_on_this_day is True
    assert "A year ago today you cooked a meal for Ana." in on(d("2026-12-09"))


def test_the_setting_is_a_labelled_tick_box_on_for_everyone_at_first(owner_client, owner):
    page = owner_client.get(reverse("account_settings")).content.decode()
    assert re.search(r'<input type="checkbox" name="show_on_this_day"[^>]* checked', page)
    assert "On this day" in html.unescape(page)
    assert owner.profile.show_on_this_day is True


def test_nobody_elses_acts_or_days_count_on_your_today(on, owner, db):
    someone = make_user("bob")
    act(someone, d("2025-12-09"), "Someone else's kind act")
    mood(someone, d("2026-12-08"))
    act(owner, d("2026-11-01"))
    page = on(d("2026-12-09"))
    assert "Someone else" not in page and "On this day" not in page
    assert "This month: 0 of 9 days logged" in page
    assert "Acts of kindness so far: 1" in page


@pytest.mark.parametrize("days", [3, 900])
def test_today_takes_the_same_queries_for_any_amount_of_data(
    client, owner, django_assert_num_queries, days
):
    today = owner.profile.today()
    for offset in range(days):
        day = today - datetime.timedelta(days=offset)
        mood(owner, day)
        act(owner, day, f"Kind act {offset}")
    client.force_login(owner)
    # Session, user, profile, the day's mood; the days logged lately, the acts total; the
    # acts of today and of the days "On this day" looks back to.
    with django_assert_num_queries(7):
        page = client.get("/").content.decode()
    assert f"Acts of kindness so far: {days}" in page
    assert ("On this day" in page) == (days > 28)


@pytest.mark.parametrize(
    ("description", "sentence"),
    [
        ("Cooked a meal for Ana", "you cooked a meal for Ana"),
        ("called mum", "you called mum"),
        ("Gave blood", "you gave blood"),
        ("Ana's birthday card", "you logged “Ana's birthday card”"),
        ("Ted's lift to work", "you logged “Ted's lift to work”"),
    ],
)
def test_an_act_reads_on_after_you_only_when_it_starts_with_what_was_done(description, sentence):
    assert progress.you_did(description) == sentence


def test_a_month_ago_from_the_end_of_a_long_month_is_the_end_of_the_shorter_one():
    assert progress.month_ago_date(d("2026-03-31")) == d("2026-02-28")
    assert progress.month_ago_date(d("2028-03-31")) == d("2028-02-29")
    assert progress.month_ago_date(d("2026-01-15")) == d("2025-12-15")
