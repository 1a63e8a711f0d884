import datetime

import pytest
from django.urls import reverse

from kindjournal.journal.models import DayEntry, KindnessAct
from kindjournal.journal.views import HISTORY_PAGE_SIZE

D1, D2, D3 = datetime.date(2026, 5, 1), datetime.date(2026, 5, 2), datetime.date(2026, 5, 3)


def test_history_lists_rated_and_act_only_days_newest_first(owner_client, owner):
    DayEntry.objects.save_day(owner, D1, mood=4, note="", recorded_on=D1)
    DayEntry.objects.save_day(owner, D3, mood=8, note="", recorded_on=D3)
    for _ in range(2):
        KindnessAct.objects.create(user=owner, date=D3, description="x", category="other")
    KindnessAct.objects.create(user=owner, date=D2, description="y", category="gift")
    response = owner_client.get(reverse("journal:history"))
    days = response.context["days"]
    assert [(d["date"], d["entry"] and d["entry"].mood, d["acts"]) for d in days] == [
        (D3, 8, 2),
        (D2, None, 1),
        (D1, 4, 0),
    ]
    page = response.content.decode()
    assert page.index("Sun 3 May 2026") < page.index("Sat 2 May 2026") < page.index("Fri 1 May")
    assert "not rated" in page
    assert reverse("journal:day", args=[D2]) in page


def test_history_is_paginated(owner_client, owner):
    for offset in range(HISTORY_PAGE_SIZE + 5):
        day = D1 - datetime.timedelta(days=offset)
        DayEntry.objects.save_day(owner, day, mood=5, note="", recorded_on=day)
    first = owner_client.get(reverse("journal:history"))
    assert len(first.context["days"]) == HISTORY_PAGE_SIZE
    assert "Page 1 of 2" in first.content.decode()
    second = owner_client.get(reverse("journal:history"), {"page": 2})
    assert len(second.context["days"]) == 5
    assert owner_client.get(reverse("journal:history"), {"page": "nonsense"}).status_code == 200


def test_history_shows_only_the_logged_in_persons_days(client, owner, stranger):
    DayEntry.objects.save_day(owner, D1, mood=4, note="", recorded_on=D1)
    client.force_login(stranger)
    response = client.get(reverse("journal:history"))
    assert response.context["days"] == []
    assert "Nothing logged yet" in response.content.decode()


@pytest.mark.parametrize("days", [2, 3 * HISTORY_PAGE_SIZE])
def test_history_query_count_does_not_grow_with_days(
    owner_client, owner, django_assert_num_queries, days
):
    for offset in range(days):
        day = D1 - datetime.timedelta(days=offset)
        DayEntry.objects.save_day(owner, day, mood=5, note="", recorded_on=day)
        KindnessAct.objects.create(user=owner, date=day, description="x", category="other")
    # Session, user, profile, the page's count and dates, its entries and its act counts.
    with django_assert_num_queries(7):
        response = owner_client.get(reverse("journal:history"))
    assert len(response.context["days"]) == min(days, HISTORY_PAGE_SIZE)
