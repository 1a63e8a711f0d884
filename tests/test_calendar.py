import datetime
import html
import re

import pytest
from django.urls import reverse

from kindjournal.journal.models import DayEntry, KindnessAct
from tests.conftest import make_user

URL = reverse("moodcalendar:calendar")


def calendar_page(client, **query):
    response = client.get(URL, query)
    assert response.status_code == 200
    return response.content.decode()


def day_cells(page):
    """{date: the <td data-date> element's opening tag and content} for every day cell."""
    return {
        match["date"]: match[0]
        for match in re.finditer(r'<td data-date="(?P<date>[\d-]+)"[^>]*>.*?</td>', page)
    }


def attribute(cell, name):
    found = re.search(rf'{name}="([^"]*)"', cell)
    return found[1] if found else None


def log(user, date, mood=None, acts=0):
    if mood is not None:
        DayEntry.objects.create(user=user, date=date, mood=mood, recorded_on=date)
    for number in range(acts):
        KindnessAct.objects.create(user=user, date=date, description=f"Act {number}")


def test_every_day_of_a_past_year_is_a_cell_saying_its_mood_and_acts(owner_client, owner):
    log(owner, datetime.date(2025, 3, 4), mood=7, acts=2)
    log(owner, datetime.date(2025, 3, 5), mood=2)
    log(owner, datetime.date(2025, 3, 6), acts=1)
    cells = day_cells(calendar_page(owner_client, year=2025))

    assert len(cells) == 365 and "2025-02-29" not in cells
    rated = cells["2025-03-04"]
    assert (attribute(rated, "data-mood"), attribute(rated, "data-acts")) == ("7", "2")
    assert 'href="/day/2025-03-04/"' in rated
    assert 'aria-label="Tue 4 March: mood 7, 2 acts of kindness"' in rated
    assert "kj-mood-7" in rated and "♥" in rated
    assert 'aria-label="Wed 5 March: mood 2, no acts of kindness"' in cells["2025-03-05"]
    assert "♥" not in cells["2025-03-05"]
    unrated = cells["2025-03-06"]
    assert attribute(unrated, "data-mood") is None and attribute(unrated, "data-acts") == "1"
    assert 'aria-label="Thu 6 March: no mood logged, 1 act of kindness"' in unrated
    empty = cells["2025-12-31"]
    assert attribute(empty, "data-mood") is None and attribute(empty, "data-acts") == "0"
    assert "no mood logged, no acts of kindness" in empty and "kj-no-mood" in empty


def month_totals(page):
    """{row label: [the twelve months' values]} from the table's foot."""
    foot = re.search(r"<tfoot>(.*)</tfoot>", page, re.S)[1]
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th>(.*?)</tr>', foot)
    return {
        label: [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", cells)]
        for label, cells in rows
    }


def test_each_month_shows_its_days_rated_mean_mood_and_acts(owner_client, owner):
    log(owner, datetime.date(2025, 3, 4), mood=7, acts=2)
    log(owner, datetime.date(2025, 3, 5), mood=2)
    log(owner, datetime.date(2025, 3, 31), mood=4, acts=1)
    log(owner, datetime.date(2025, 4, 1), acts=3)
    totals = month_totals(calendar_page(owner_client, year=2025))
    assert totals["Days rated"] == ["0", "0", "3"] + ["0"] * 9
    assert totals["Mean mood"] == ["–none"] * 2 + ["4.3"] + ["–none"] * 9
    assert totals["Acts"] == ["0", "0", "3", "3"] + ["0"] * 8


def test_the_year_sums_up_above_the_calendar(owner_client, owner):
    log(owner, datetime.date(2025, 3, 4), mood=7, acts=2)
    log(owner, datetime.date(2025, 8, 9), mood=4)
    page = calendar_page(owner_client, year=2025)
    assert "In 2025: 2 days rated, mean mood 5.5, 2 acts of kindness." in page


def test_a_leap_year_has_29_february_and_366_days(owner_client, owner):
    log(owner, datetime.date(2024, 2, 29), mood=9, acts=1)
    cells = day_cells(calendar_page(owner_client, year=2024))
    assert len(cells) == 366
    assert 'aria-label="Thu 29 February: mood 9, 1 act of kindness"' in cells["2024-02-29"]
    assert list(cells)[:2] == ["2024-01-01", "2024-02-01"]  # rows are days, columns months
    assert len(day_cells(calendar_page(owner_client, year=2023))) == 365


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago"])
def test_the_persons_time_zone_decides_which_days_have_happened(client, db, zone):
    person = make_user("traveller", time_zone=zone)
    client.force_login(person)
    today = person.profile.today()
    page = calendar_page(client)
    cells = day_cells(page)

    assert f'data-month="{today.month}"' in page  # the phone shows this month first
    assert f'href="/day/{today}/"' in cells[today.isoformat()]
    assert 'aria-current="date"' in cells[today.isoformat()]
    assert "(today)" in cells[today.isoformat()]
    tomorrow = today + datetime.timedelta(days=1)
    if tomorrow.year == today.year:
        assert "href=" not in cells[tomorrow.isoformat()]
        assert "still to come" in cells[tomorrow.isoformat()]
    else:
        assert f"year={tomorrow.year}" not in page


def test_the_two_ends_of_the_day_see_different_todays(db):
    east = make_user("east", time_zone="Pacific/Kiritimati").profile.today()  # UTC+14
    west = make_user("west", time_zone="Pacific/Pago_Pago").profile.today()  # UTC-11
    assert east > west


def year_links(page):
    """The years the "Years" navigation links to."""
    nav = re.search(r'<nav [^>]*aria-label="Years">(.*?)</nav>', page, re.S)
    return [int(year) for year in re.findall(r'href="\?year=(\d+)&amp;', nav[1])] if nav else []


def test_year_links_stop_at_the_first_logged_year_and_at_this_year(owner_client, owner, today):
    log(owner, datetime.date(today.year - 3, 6, 1), acts=1)  # an act alone starts the journal
    log(owner, datetime.date(today.year - 2, 6, 1), mood=5)
    assert year_links(calendar_page(owner_client)) == [today.year - 1]
    assert year_links(calendar_page(owner_client, year=today.year - 2)) == [
        today.year - 3,
        today.year - 1,
    ]
    assert year_links(calendar_page(owner_client, year=today.year - 3)) == [today.year - 2]


def test_someone_with_nothing_logged_gets_no_earlier_years(owner_client, today):
    page = calendar_page(owner_client)
    assert year_links(page) == []
    assert len(day_cells(page)) in (365, 366)
    assert "data-mood" not in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"year": "next"}, "Choose a year as a number, such as 2026."),
        ({"year": "1999"}, "KindJournal keeps days from 2000 on."),
        ({"year": "2026.5"}, "Choose a year as a number, such as 2026."),
        ({"year": "99999999999999999999"}, "the calendar goes up to"),
        ({"month": "13"}, "Choose a month as a number from 1 to 12."),
        ({"month": "0"}, "Choose a month as a number from 1 to 12."),
    ],
)
def test_a_bad_year_or_month_gets_a_clear_400(owner_client, query, message):
    response = owner_client.get(URL, query)
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert message in page
    assert 'href="/calendar/"' in page


def test_a_year_still_to_come_gets_a_400_naming_the_last_year(owner_client, today):
    response = owner_client.get(URL, {"year": today.year + 1})
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert f"{today.year + 1} hasn't started yet: the calendar goes up to {today.year}." in page


def test_an_empty_year_shows_this_year(owner_client, today):
    page = calendar_page(owner_client, year="", month="")
    assert f"Your year: {today.year}" in page


def test_a_stranger_sees_nothing_of_someone_elses_year(client, owner, stranger):
    log(owner, datetime.date(2025, 3, 4), mood=7, acts=2)
    client.force_login(stranger)
    page = calendar_page(client, year=2025)
    assert "data-mood" not in page
    assert 'data-acts="2"' not in page
    assert "In 2025: 0 days rated, 0 acts of kindness." in page


def seed_days(user, count, today):
    for offset in range(count):
        day = today - datetime.timedelta(days=offset)
        log(user, day, mood=1 + offset % 10, acts=offset % 3)


@pytest.mark.parametrize("days", [3, 800])
def test_the_calendar_takes_the_same_queries_for_any_amount_of_data(
    owner_client, owner, today, django_assert_num_queries, days
):
    seed_days(owner, days, today)
    # Session, user, profile; the year's moods, its act counts, the first logged date.
    with django_assert_num_queries(6):
        calendar_page(owner_client)


def test_the_navigation_links_to_the_calendar(owner_client):
    page = owner_client.get("/").content.decode()
    assert f'href="{URL}">Calendar</a>' in page
    assert 'aria-current="page" href="/calendar/">Calendar' in calendar_page(owner_client)
