"""The Insights page: its embedded JSON, ranges, empty states, isolation and query count."""

import datetime
import json
import random
import re
import statistics
import warnings
import zoneinfo

import pytest
import scipy.stats
from django.urls import reverse
from django.utils import timezone

from kindjournal.journal.models import ActCategory, DayEntry, KindnessAct
from tests.conftest import make_user

URL = reverse("insights:insights")
DAY = datetime.timedelta(days=1)
JSON_KEYS = {
    "range",
    "series",
    "same_day",
    "next_day",
    "dose",
    "reverse",
    "by_category",
    "days_for_half_point",
}
COMPARISON_KEYS = {
    "kind_days",
    "other_days",
    "kind_mean",
    "other_mean",
    "difference",
    "ci95",
    "p_value",
}


def seed(user, last_day, days, seed=7):
    """`days` days of plausible data up to `last_day`: ({date: mood}, {date: [categories]})."""
    rng = random.Random(seed)
    moods, acts = {}, {}
    for offset in range(days):
        date = last_day - offset * DAY
        acts[date] = [rng.choice(ActCategory.values) for _ in range(rng.choice([0, 0, 1, 1, 2, 3]))]
        if rng.random() < 0.9:
            moods[date] = min(10, rng.randint(2, 8) + (2 if acts[date] else 0))
    DayEntry.objects.bulk_create(
        DayEntry(user=user, date=date, mood=mood, recorded_on=date) for date, mood in moods.items()
    )
    KindnessAct.objects.bulk_create(
        KindnessAct(user=user, date=date, category=category, description="Helped")
        for date, categories in acts.items()
        for category in categories
    )
    return moods, acts


def page_data(response):
    """The JSON the browser gets, read from the page as it would be."""
    assert response.status_code == 200
    found = re.search(
        r'<script id="insights-data" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    return json.loads(found.group(1))


def main_of(response):
    """The page's <main> element: what it shows, without the nav's per-response CSRF token."""
    return re.search(r"<main .*</main>", response.content.decode(), re.S).group()


def text_of(response):
    """The page's HTML with runs of white space as single spaces, as a person reads it."""
    return " ".join(response.content.decode().split())


def floats_in(value):
    if isinstance(value, float):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from floats_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from floats_in(item)


def test_insights_needs_a_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_page_embeds_the_issues_json_for_a_seeded_account(owner_client, owner, today):
    moods, acts = seed(owner, today, 120)
    data = page_data(owner_client.get(URL))

    assert data.keys() >= JSON_KEYS
    start = today - 89 * DAY
    assert data["range"] == {"start": start.isoformat(), "end": today.isoformat(), "key": "90"}
    dates = [start + i * DAY for i in range(90)]
    assert [item["date"] for item in data["series"]] == [d.isoformat() for d in dates]
    assert [item["mood"] for item in data["series"]] == [moods.get(d) for d in dates]
    assert [item["acts"] for item in data["series"]] == [len(acts[d]) for d in dates]
    assert all(
        item.keys() == {"date", "mood", "acts", "mood_avg7", "acts_avg7"} for item in data["series"]
    )
    # 7-day averages reach back over the six days before, even before the range starts.
    for item, day in ((data["series"][0], start), (data["series"][-1], today)):
        week = [day - i * DAY for i in range(7)]
        week_moods = [moods[d] for d in week if d in moods]
        assert item["mood_avg7"] == round(statistics.fmean(week_moods), 3)
        assert item["acts_avg7"] == round(sum(len(acts[d]) for d in week) / 7, 3)

    rated = [d for d in dates if d in moods]
    kind = [moods[d] for d in rated if acts[d]]
    other = [moods[d] for d in rated if not acts[d]]
    same_day = data["same_day"]
    assert same_day.keys() >= COMPARISON_KEYS
    assert (same_day["kind_days"], same_day["other_days"]) == (len(kind), len(other))
    assert same_day["kind_mean"] == round(statistics.fmean(kind), 3)
    assert same_day["other_mean"] == round(statistics.fmean(other), 3)
    welch = scipy.stats.ttest_ind(kind, other, equal_var=False)
    interval = welch.confidence_interval(0.95)
    assert same_day["ci95"] == pytest.approx([interval.low, interval.high], abs=5e-4)
    assert same_day["p_value"] == pytest.approx(welch.pvalue, abs=5e-4)
    assert same_day["days_for_half_point"] == data["days_for_half_point"]
    assert data["next_day"].keys() >= COMPARISON_KEYS

    spearman = scipy.stats.spearmanr([len(acts[d]) for d in rated], [moods[d] for d in rated])
    assert data["dose"] == {
        "spearman_r": round(spearman.statistic, 3),
        "p_value": round(spearman.pvalue, 3),
        "n": len(rated),
    }
    assert {"after_high_mood_kind_share", "after_low_mood_kind_share", "pairs"} <= data[
        "reverse"
    ].keys()
    labels = dict(ActCategory.choices)
    assert data["by_category"]
    for row in data["by_category"]:
        assert row.keys() >= {"category", "label", "days", "mean_mood", "difference"}
        assert row["label"] == labels[row["category"]]
    # Rounded to three decimals only in the JSON.
    assert all(round(number, 3) == number for number in floats_in(data))


def test_the_page_shows_the_summary_charts_and_data_tables(owner_client, owner, today):
    seed(owner, today, 120)
    response = owner_client.get(URL)
    page = response.content.decode()
    assert "What your data say" in page
    assert "On the " in page and "days you did something kind, your mood averaged" in page
    assert "not proof of cause" in page
    for canvas in ("chart-trend", "chart-compare", "chart-dose", "chart-category"):
        assert f'<canvas id="{canvas}" role="img" aria-label=' in page
    assert page.count("<details") == 4
    assert page.count("<figcaption") == 4
    # Ninety days in the trend table, one row each.
    assert len(re.findall(r'<tr><th scope="row" class="fw-normal">\w{3} \d', page)) >= 90
    # Chart.js from the CDN with its integrity hash, then our script; no inline script.
    assert 'integrity="sha384-' in page and "chart.umd.min.js" in page
    assert "/static/js/insights.js" in page
    for tag in re.findall(r"<script[^>]*>", page):
        assert " src=" in tag or 'type="application/json"' in tag
    assert 'style="' not in page
    assert 'aria-current="page" href="/insights/">Insights' in page


@pytest.mark.parametrize(("key", "days"), [("30", 30), ("90", 90), ("365", 365)])
def test_ranges_end_today_and_cover_that_many_days(owner_client, owner, today, key, days):
    seed(owner, today, 400)
    data = page_data(owner_client.get(URL, {"range": key}))
    assert data["range"]["key"] == key
    assert len(data["series"]) == days
    assert data["series"][0]["date"] == (today - (days - 1) * DAY).isoformat()
    assert data["series"][-1]["date"] == today.isoformat()


def test_range_switching_changes_the_numbers(owner_client, owner, today):
    seed(owner, today, 400)
    thirty = page_data(owner_client.get(URL, {"range": "30"}))
    year = page_data(owner_client.get(URL, {"range": "365"}))
    assert thirty["same_day"]["kind_days"] + thirty["same_day"]["other_days"] <= 30
    assert year["same_day"]["kind_days"] + year["same_day"]["other_days"] > 300


def test_all_time_starts_at_the_first_entry_or_act(owner_client, owner, today):
    seed(owner, today, 20)
    first_act = today - 300 * DAY
    KindnessAct.objects.create(user=owner, date=first_act, description="Early", category="gift")
    data = page_data(owner_client.get(URL, {"range": "all"}))
    assert data["range"] == {"start": first_act.isoformat(), "end": today.isoformat(), "key": "all"}
    assert data["series_unit"] == "day"
    assert len(data["series"]) == 301
    assert data["series"][0]["acts"] == 1


def test_all_time_over_400_days_shows_one_point_per_month(owner_client, owner, today):
    seed(owner, today, 20)
    first_act = today - 500 * DAY
    KindnessAct.objects.create(user=owner, date=first_act, description="Early", category="gift")
    response = owner_client.get(URL, {"range": "all"})
    data = page_data(response)
    assert data["series_unit"] == "month"
    months = [item["month"] for item in data["series"]]
    assert months[0] == first_act.strftime("%Y-%m") and months[-1] == today.strftime("%Y-%m")
    assert len(set(months)) == len(months)
    assert data["series"][0] == {
        "month": first_act.strftime("%Y-%m"),
        "mood_mean": None,
        "rated_days": 0,
        "acts": 1,
    }
    assert sum(item["rated_days"] for item in data["series"]) == data["counts"]["rated_days"]
    page = main_of(response)
    assert "each point is a month" in page.lower()
    assert "Data table: mood and acts by month" in page
    assert page.count('<th scope="row" class="fw-normal">') >= len(months)


@pytest.mark.parametrize("value", ["abc", "", "7", "ALL", "90; DROP TABLE", "3650"])
def test_an_unknown_range_falls_back_to_90_days(owner_client, owner, today, value):
    seed(owner, today, 10)
    response = owner_client.get(URL, {"range": value})
    data = page_data(response)
    assert data["range"]["key"] == "90"
    assert len(data["series"]) == 90
    assert 'aria-current="page" href="?range=90"' in response.content.decode()


def test_the_range_ends_on_the_persons_own_today(client, db, monkeypatch):
    # Noon UTC is already the next morning on Kiritimati (UTC+14).
    now = timezone.now().replace(hour=12, minute=0)
    monkeypatch.setattr(timezone, "now", lambda: now)
    utc_today = now.date()
    islander = make_user("islander", time_zone="Pacific/Kiritimati")
    local_today = now.astimezone(zoneinfo.ZoneInfo("Pacific/Kiritimati")).date()
    assert local_today == utc_today + DAY
    DayEntry.objects.create(user=islander, date=local_today, mood=9, recorded_on=local_today)
    client.force_login(islander)
    data = page_data(client.get(URL, {"range": "30"}))
    assert data["range"]["end"] == local_today.isoformat()
    assert data["series"][-1] == {
        "date": local_today.isoformat(),
        "mood": 9,
        "acts": 0,
        "mood_avg7": 9,
        "acts_avg7": 0,
    }


def test_a_new_account_is_invited_to_log_instead_of_seeing_empty_charts(owner_client):
    response = owner_client.get(URL)
    page = response.content.decode()
    assert "Your insights will grow here" in page
    assert "<canvas" not in page
    assert 'href="?range=all">all time</a>' in page
    data = page_data(response)
    assert data["same_day"] is None and data["dose"] is None and data["by_category"] == []


def test_each_chart_says_what_it_needs_until_there_is_enough_data(owner_client, owner, today):
    for offset, mood, acts in [(0, 7, 1), (1, 6, 0), (2, 8, 2), (3, 5, 0), (4, 7, 1)]:
        date = today - offset * DAY
        DayEntry.objects.create(user=owner, date=date, mood=mood, recorded_on=date)
        for _ in range(acts):
            KindnessAct.objects.create(user=owner, date=date, description="x", category="meal")
    page = text_of(owner_client.get(URL))
    # Three kind days and two others: the comparison needs 2 + 3 more.
    assert (
        "once there are at least 5 rated days of each. "
        "It needs 2 more kind days and 3 more days without acts." in page
    )
    assert (
        "needs at least 5 rated days of each; so far: 3 days with an act of kindness and 2 without."
        in page
    )
    assert 'id="chart-compare"' not in page
    assert 'id="chart-trend"' in page
    assert 'id="chart-dose"' in page  # five rated days are enough for the scatter
    assert 'id="chart-category"' in page  # meal is on three rated days


def test_constant_mood_is_explained_not_shown_as_nan(owner_client, owner, today):
    for offset in range(20):
        date = today - offset * DAY
        DayEntry.objects.create(user=owner, date=date, mood=6, recorded_on=date)
        if offset % 2:
            KindnessAct.objects.create(user=owner, date=date, description="x", category="gift")
    response = owner_client.get(URL)
    page = response.content.decode()
    data = page_data(response)
    assert data["same_day"]["ci95"] is None and data["same_day"]["p_value"] is None
    assert not re.search(r"\bnan\b", page, re.IGNORECASE)
    assert "no spread to estimate a 95% interval or p-value from" in page
    assert "A correlation cannot be computed" in page


def test_another_persons_data_never_appears(client, owner, stranger, today):
    seed(stranger, today, 120)
    client.force_login(owner)
    response = client.get(URL, {"range": "all"})
    data = page_data(response)
    assert all(item["mood"] is None and item["acts"] == 0 for item in data["series"])
    assert data["same_day"] is None and data["by_category"] == []
    assert "Your insights will grow here" in response.content.decode()


def test_each_person_sees_only_their_own_numbers(client, owner, stranger, today):
    owner_moods, _ = seed(owner, today, 60, seed=1)
    seed(stranger, today, 60, seed=2)
    client.force_login(owner)
    data = page_data(client.get(URL, {"range": "30"}))
    assert [item["mood"] for item in data["series"]] == [
        owner_moods.get(today - i * DAY) for i in range(29, -1, -1)
    ]


@pytest.mark.parametrize("key", ["90", "all"])
@pytest.mark.parametrize("days", [3, 600])
def test_the_query_count_does_not_grow_with_the_data(
    owner_client, owner, today, django_assert_num_queries, key, days
):
    seed(owner, today, days)
    # Session, user and profile; then one aggregate query for moods and one for acts, on every
    # visit: nothing is cached.
    with django_assert_num_queries(5):
        first = owner_client.get(URL, {"range": key})
    with django_assert_num_queries(5):
        second = owner_client.get(URL, {"range": key})
    assert main_of(first) == main_of(second) and page_data(first) == page_data(second)


def test_a_change_shows_on_the_very_next_visit_whoever_wrote_it(owner_client, owner, today):
    seed(owner, today - DAY, 29)
    DayEntry.objects.create(user=owner, date=today, mood=8, recorded_on=today)
    KindnessAct.objects.create(user=owner, date=today, description="Cooked for Ana")
    before = page_data(owner_client.get(URL, {"range": "30"}))
    assert before["series"][-1]["mood"] == 8 and before["series"][-1]["acts"] == 1
    # A plain queryset update, as a data migration or a shell fix would write it.
    DayEntry.objects.for_user(owner).filter(date=today).update(mood=1)
    KindnessAct.objects.for_user(owner).filter(date=today).delete()
    after = page_data(owner_client.get(URL, {"range": "30"}))
    assert after["series"][-1]["mood"] == 1 and after["series"][-1]["acts"] == 0


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_insights_answers_only_reads(owner_client, method):
    response = getattr(owner_client, method)(URL)
    assert response.status_code == 405


def test_welchs_interval_with_one_constant_group_has_no_warning_in_the_page(
    owner_client, owner, today
):
    for offset in range(12):
        date = today - offset * DAY
        kind = offset % 2 == 0
        DayEntry.objects.create(
            user=owner, date=date, mood=8 if kind else 3 + offset % 4, recorded_on=date
        )
        if kind:
            KindnessAct.objects.create(user=owner, date=date, description="x", category="gift")
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        data = page_data(owner_client.get(URL))
    assert data["same_day"]["ci95"] is not None


@pytest.mark.django_db
def test_the_days_read_are_the_same_whatever_the_servers_date_style(owner):
    """On SQLite, the dates as stored; on PostgreSQL (make test-postgres), under a server set
    to day-first dates as well."""
    from django.db import connection

    from kindjournal.insights.data import insights_for

    first, last = datetime.date(2025, 3, 1), datetime.date(2025, 3, 12)
    for offset in range(12):
        day = first + datetime.timedelta(days=offset)
        DayEntry.objects.create(user=owner, date=day, mood=1 + offset % 10, recorded_on=day)
    KindnessAct.objects.create(user=owner, date=last, description="Cooked for Ana", category="meal")
    if connection.vendor == "postgresql":
        # A server set to day-first dates: CAST(date AS text) would read "12/03/2025".
        with connection.cursor() as cursor:
            cursor.execute("SET DateStyle TO 'SQL, DMY'")
    result = insights_for(owner, None, last)
    assert result["range"]["start"] == first
    series = {item["date"]: (item["mood"], item["acts"]) for item in result["series"]}
    assert series[first] == (1, 0)
    assert series[last] == (2, 1)
    assert result["counts"]["acts"] == 1
