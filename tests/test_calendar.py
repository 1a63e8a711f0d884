import datetime
import re

from django.urls import reverse

from kindjournal.journal.models import DayEntry, KindnessAct

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
