"""The therapist export: /export/ form, /export/csv/ and /export/report/."""

import datetime
import json
import re

import pytest
from django.http import StreamingHttpResponse
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.html import escape, strip_tags

from kindjournal.insights.data import insights_for
from kindjournal.insights.summary import summary_sentences
from kindjournal.journal.models import DayEntry, KindnessAct

CSV_URL = reverse("exports:csv")
REPORT_URL = reverse("exports:report")
EXPORT_URL = reverse("exports:export")
D = datetime.date


@pytest.fixture
def journal(owner):
    """Four days in March 2025 (the 5th left out) with the awkward text a real journal has."""
    day = DayEntry.objects.create
    act = KindnessAct.objects.create
    day(
        user=owner,
        date=D(2025, 3, 3),
        mood=7,
        note='Slept well, walked "far", then rain\r\nsecond line',
        recorded_on=D(2025, 3, 3),
    )
    act(user=owner, date=D(2025, 3, 3), category="meal", description="Soup, for Ann")
    act(user=owner, date=D(2025, 3, 3), category="checkin", description='=HYPERLINK("http://x")')
    act(user=owner, date=D(2025, 3, 4), category="other", description="-5 kg of litter picked 😊")
    day(
        user=owner,
        date=D(2025, 3, 6),
        mood=3,
        note='=HYPERLINK("http://x","y")',
        recorded_on=D(2025, 3, 8),
    )
    day(user=owner, date=D(2025, 3, 7), mood=10, note="@home\ttab", recorded_on=D(2025, 3, 7))
    act(user=owner, date=D(2025, 3, 7), category="gift", description='Tulips "for" Mum; card')
    return owner


def csv_bytes(response):
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content)


def test_csv_is_exactly_the_documented_bytes(owner_client, journal):
    response = owner_client.get(CSV_URL, {"start": "2025-03-01", "end": "2025-03-31", "notes": "1"})
    assert csv_bytes(response) == (
        "\ufeffdate,weekday,mood,acts_count,acts,recorded_on,note\r\n"
        '2025-03-03,Monday,7,2,"Meal or food: Soup, for Ann; Check-in message or call: '
        '=HYPERLINK(""http://x"")",2025-03-03,'
        '"Slept well, walked ""far"", then rain\r\nsecond line"\r\n'
        '2025-03-04,Tuesday,,1,"Other: -5 kg of litter picked 😊",,""\r\n'
        '2025-03-06,Thursday,3,0,"",2025-03-08,"\'=HYPERLINK(""http://x"",""y"")"\r\n'
        '2025-03-07,Friday,10,1,"Gift or flowers: Tulips ""for"" Mum; card",2025-03-07,'
        '"\'@home\ttab"\r\n'
    ).encode("utf-8")


def test_csv_starts_with_the_utf8_byte_order_mark(owner_client, journal):
    assert csv_bytes(owner_client.get(CSV_URL)).startswith(b"\xef\xbb\xbfdate,")


def test_csv_without_notes_has_no_note_column_and_no_note_text(owner_client, journal):
    body = csv_bytes(owner_client.get(CSV_URL, {"start": "2025-03-01", "end": "2025-03-31"}))
    text = body.decode("utf-8-sig")
    assert text.splitlines()[0] == "date,weekday,mood,acts_count,acts,recorded_on"
    assert (
        "Slept well" not in text and "@home" not in text and 'HYPERLINK(""http://x"","' not in text
    )
    assert '2025-03-06,Thursday,3,0,"",2025-03-08\r\n' in text


@pytest.mark.parametrize("notes", ["0", ""])
def test_notes_0_or_empty_leave_notes_out(owner_client, journal, notes):
    text = csv_bytes(owner_client.get(CSV_URL, {"notes": notes})).decode("utf-8-sig")
    assert not text.splitlines()[0].endswith(",note")


def test_csv_is_a_private_streamed_attachment_named_after_the_period(owner_client, journal):
    response = owner_client.get(CSV_URL, {"start": "2025-03-04", "end": "2025-03-06"})
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="kindjournal_2025-03-04_2025-03-06.csv"'
    )
    assert response["Cache-Control"] == "no-store"


def test_csv_range_is_inclusive_at_both_ends(owner_client, journal):
    text = csv_bytes(owner_client.get(CSV_URL, {"start": "2025-03-04", "end": "2025-03-06"}))
    dates = [line[:10] for line in text.decode("utf-8-sig").split("\r\n")[1:-1]]
    assert dates == ["2025-03-04", "2025-03-06"]


def test_without_dates_the_csv_has_everything_from_the_first_logged_day_to_today(
    owner_client, journal, today
):
    DayEntry.objects.create(user=journal, date=today, mood=5, recorded_on=today)
    response = owner_client.get(CSV_URL)
    assert f'filename="kindjournal_2025-03-03_{today}.csv"' in response["Content-Disposition"]
    rows = csv_bytes(response).decode("utf-8-sig").split("\r\n")[1:-1]
    assert [row[:10] for row in rows] == [
        "2025-03-03",
        "2025-03-04",
        "2025-03-06",
        "2025-03-07",
        today.isoformat(),
    ]


def test_start_alone_runs_to_today_and_end_alone_from_the_first_day(owner_client, journal, today):
    response = owner_client.get(CSV_URL, {"start": "2025-03-06"})
    assert f'kindjournal_2025-03-06_{today}.csv"' in response["Content-Disposition"]
    assert csv_bytes(response).count(b"\r\n") == 3  # header + two days
    response = owner_client.get(CSV_URL, {"end": "2025-03-04"})
    assert 'kindjournal_2025-03-03_2025-03-04.csv"' in response["Content-Disposition"]


def test_nothing_logged_gives_just_the_header_named_for_today(owner_client, today):
    response = owner_client.get(CSV_URL)
    assert f'kindjournal_{today}_{today}.csv"' in response["Content-Disposition"]
    assert csv_bytes(response) == b"\xef\xbb\xbfdate,weekday,mood,acts_count,acts,recorded_on\r\n"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "2025-13-01"}, "Enter the date as YYYY-MM-DD"),
        ({"end": "03/04/2025"}, "Enter the date as YYYY-MM-DD"),
        ({"start": "2025-02-30"}, "Enter the date as YYYY-MM-DD"),
        ({"start": "2025-03-07", "end": "2025-03-03"}, "The end date is before the start date."),
        ({"end": "2999-01-01"}, "That date is in the future"),
        ({"start": "1999-12-31"}, "KindJournal keeps days from 1 January 2000 on."),
        ({"notes": "yes"}, "Use notes=1 to include notes"),
    ],
)
@pytest.mark.parametrize("url", [CSV_URL, REPORT_URL])
def test_bad_parameters_get_400_with_a_message(owner_client, journal, url, params, message):
    response = owner_client.get(url, params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_tomorrow_in_the_persons_own_time_zone_is_the_future(owner_client, owner, today):
    tomorrow = today + datetime.timedelta(days=1)
    assert owner_client.get(CSV_URL, {"end": tomorrow.isoformat()}).status_code == 400
    assert owner_client.get(CSV_URL, {"end": today.isoformat()}).status_code == 200


def test_a_stranger_exports_none_of_the_owners_days(stranger_client, journal, stranger):
    DayEntry.objects.create(user=stranger, date=D(2025, 3, 5), mood=2, recorded_on=D(2025, 3, 5))
    params = {"start": "2025-03-01", "end": "2025-03-31", "notes": "1"}
    text = csv_bytes(stranger_client.get(CSV_URL, params)).decode("utf-8-sig")
    assert text.split("\r\n")[1:] == ['2025-03-05,Wednesday,2,0,"",2025-03-05,""', ""]
    page = stranger_client.get(REPORT_URL, params).content.decode()
    for private in ("Soup", "Tulips", "Slept well", "HYPERLINK", "litter"):
        assert private not in page


@pytest.mark.parametrize("url", [EXPORT_URL, CSV_URL, REPORT_URL])
def test_export_pages_need_a_log_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("url", [EXPORT_URL, CSV_URL, REPORT_URL])
def test_exports_answer_only_get(owner_client, url):
    assert owner_client.post(url).status_code == 405


def add_days(user, first, count):
    DayEntry.objects.bulk_create(
        DayEntry(user=user, date=first + datetime.timedelta(days=n), mood=5, recorded_on=first)
        for n in range(count)
    )
    KindnessAct.objects.bulk_create(
        KindnessAct(user=user, date=first + datetime.timedelta(days=n), description="x")
        for n in range(count)
        for _ in range(2)
    )


@pytest.mark.parametrize("days", [1, 1200])
def test_csv_takes_the_same_queries_for_one_day_or_years(
    owner_client, owner, django_assert_num_queries, days
):
    add_days(owner, D(2020, 1, 1), days)
    # Session, user and profile; the first logged day; the days; the acts.
    with django_assert_num_queries(6):
        body = csv_bytes(owner_client.get(CSV_URL, {"notes": "1"}))
    assert body.count(b"\r\n") == days + 1


@pytest.mark.parametrize("days", [1, 400])
def test_report_takes_the_same_queries_for_one_day_or_a_year(
    owner_client, owner, django_assert_num_queries, days
):
    add_days(owner, D(2020, 1, 1), days)
    # Session, user and profile; the days and acts; the two Insights aggregates.
    with django_assert_num_queries(7):
        page = owner_client.get(REPORT_URL, {"start": "2020-01-01", "end": "2021-12-31"})
    assert len(day_rows(page.content.decode())) == days


# The /export/ form


def export_form(client, **params):
    return client.get(EXPORT_URL, params)


def test_export_form_offers_presets_and_leaves_notes_unticked(owner_client, today):
    page = owner_client.get(EXPORT_URL).content.decode()
    for label in ("Last 30 days", "Last 90 days", "Everything", "Dates I choose"):
        assert label in page
    assert re.search(r'<input type="radio"[^>]*value="30"[^>]*checked', page)
    notes = re.search(r'<input type="checkbox" name="notes"[^>]*>', page).group()
    assert "checked" not in notes
    start = today - datetime.timedelta(days=29)
    assert f'name="start" value="{start}"' in page
    assert f'name="end" value="{today}"' in page


@pytest.mark.parametrize(
    ("params", "target"),
    [
        ({"period": "30", "format": "csv"}, "csv"),
        ({"period": "90", "format": "report", "notes": "1"}, "report"),
        ({"period": "all", "format": "csv"}, "csv"),
        ({"period": "dates", "start": "2025-03-01", "end": "2025-03-31", "format": "csv"}, "csv"),
    ],
)
def test_export_form_sends_the_person_to_the_chosen_export(owner_client, today, params, target):
    response = owner_client.get(EXPORT_URL, params)
    assert response.status_code == 302
    path, _, query = response.url.partition("?")
    assert path == reverse(f"exports:{target}")
    expected = {
        "30": f"start={today - datetime.timedelta(days=29)}&end={today}",
        "90": f"start={today - datetime.timedelta(days=89)}&end={today}&notes=1",
        "all": "",
        "dates": "start=2025-03-01&end=2025-03-31",
    }[params["period"]]
    assert query == expected


def test_a_preset_wins_over_dates_typed_in_the_boxes(owner_client, today):
    response = export_form(owner_client, period="30", start="nonsense", end="", format="csv")
    assert response.status_code == 302
    assert f"start={today - datetime.timedelta(days=29)}" in response.url


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2025-03-07", "2025-03-03", "The end date is before the start date."),
        ("2999-01-01", "", "That date is in the future: choose today or earlier."),
        ("7 March", "2025-03-03", "Enter the date as YYYY-MM-DD, for example 2025-03-14."),
    ],
)
def test_export_form_shows_what_is_wrong_with_the_dates(owner_client, start, end, message):
    response = export_form(owner_client, period="dates", start=start, end=end, format="csv")
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert 'aria-invalid="true"' in page


def test_export_form_without_a_period_asks_for_one(owner_client):
    page = export_form(owner_client, format="csv").content.decode()
    assert "This field is required." in page


# The printable report


def day_rows(page):
    """{date as shown: [mood, acts, entered(, note)]} from the day-by-day table."""
    table = page[page.index('class="table table-sm kj-report-table"') :]
    return {
        re.search(r'<th scope="row"[^>]*>([^<]+)</th>', row).group(1): re.findall(
            r"<td[^>]*>(.*?)</td>", row, re.S
        )
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]
    }


def report(client, **params):
    response = client.get(REPORT_URL, {"start": "2025-03-01", "end": "2025-03-31", **params})
    assert response.status_code == 200
    return response


def test_report_heads_the_page_with_name_period_date_and_a_self_report_note(
    owner_client, journal, today
):
    journal.profile.display_name = "Alice Walker"
    journal.profile.save()
    page = report(owner_client).content.decode()
    assert "Mood and kindness report: Alice Walker" in page
    assert "1 March 2025 to 31 March 2025 (31 days)" in page
    assert f"Generated on {today:%-d %B %Y}" in page
    assert "Self-reported data" in page


def test_report_uses_the_username_without_a_display_name(owner_client, journal):
    assert "Mood and kindness report: alice" in report(owner_client).content.decode()


def test_report_summarises_days_moods_and_acts(owner_client, journal):
    page = re.sub(r"\s+", " ", report(owner_client).content.decode())
    assert "4 of 31 (mood rated on 3); 27 missed" in page
    # Moods 7, 3 and 10: mean 6.67, sample standard deviation 3.51.
    assert "lowest 3, average 6.7, highest 10; spread (standard deviation) 3.5" in page
    assert "1 of 3 mood ratings entered on a later day" in page
    assert "4 in total" in page
    for category in ("Meal or food: 1", "Check-in message or call: 1", "Other: 1"):
        assert f"<li>{category}</li>" in page


def test_report_lists_every_logged_day_oldest_first_with_notes_only_when_asked(
    owner_client, journal
):
    page = report(owner_client).content.decode()
    rows = list(day_rows(page))
    assert rows == ["Mon 3 Mar 2025", "Tue 4 Mar 2025", "Thu 6 Mar 2025", "Fri 7 Mar 2025"]
    assert "Slept well" not in page and ">Note<" not in page
    with_notes = report(owner_client, notes="1").content.decode()
    assert ">Note</th>" in with_notes
    assert "Slept well, walked &quot;far&quot;, then rain" in with_notes
    # The report is HTML: a note is shown as the person wrote it, not as a formula.
    assert "=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)" in with_notes


def test_report_shows_when_a_mood_was_entered_later(owner_client, journal):
    cells = day_rows(report(owner_client).content.decode())
    # Columns: mood, acts, entered.
    assert cells["Thu 6 Mar 2025"][2] == "8 Mar 2025"
    assert cells["Mon 3 Mar 2025"][2] == "on the day"
    assert cells["Tue 4 Mar 2025"][2] == ""  # acts only: no mood was entered


def test_report_gives_the_chart_its_data_and_a_text_alternative(owner_client, journal):
    page = report(owner_client).content.decode()
    data = re.search(r'<script id="mood-chart-data" type="application/json">(.*?)</script>', page)
    chart = json.loads(data.group(1))
    assert chart["series_unit"] == "day" and chart["rated_days"] == 3
    series = chart["series"]
    assert [day["date"] for day in series] == [f"2025-03-{day:02}" for day in range(1, 32)]
    rated = [(day["date"], day["mood"]) for day in series if day["mood"] is not None]
    assert rated == [("2025-03-03", 7), ("2025-03-06", 3), ("2025-03-07", 10)]
    # The mean of the moods in the 7 days up to each day, from the 3rd (first mood) to the
    # 13th (last window holding the 7th).
    averages = [(day["date"], day["mood_avg7"]) for day in series if day["mood_avg7"] is not None]
    assert averages == list(
        zip(
            [f"2025-03-{day:02}" for day in range(3, 14)],
            [7, 7, 7, 5, 6.667, 6.667, 6.667, 6.5, 6.5, 6.5, 10],
            strict=True,
        )
    )
    assert re.search(r'<canvas id="mood-chart" role="img" aria-label="[^"]+table', page)


def test_report_says_when_there_are_too_few_days_to_compare(owner_client, journal):
    page = report(owner_client).content.decode()
    assert page.count("Not enough rated days yet: each side needs at least 5.") == 2
    assert "To compare kind days with other days, KindJournal needs at least 5" in page


def test_report_shows_the_same_and_next_day_comparisons_from_insights(owner_client, owner):
    # Twelve days in a row, an act on every other one.
    for n, mood in enumerate([7, 5, 8, 4, 9, 6, 7, 5, 8, 4, 9, 6]):
        day = D(2025, 3, 1) + datetime.timedelta(days=n)
        DayEntry.objects.create(user=owner, date=day, mood=mood, recorded_on=day)
        if n % 2 == 0:
            KindnessAct.objects.create(user=owner, date=day, description="Helped")
    insights = insights_for(owner, D(2025, 3, 1), D(2025, 3, 31))
    page = report(owner_client).content.decode()
    table = page[
        page.index("kj-comparison-table") : page.index(
            "</table>", page.index("kj-comparison-table")
        )
    ]
    rows = [
        [
            " ".join(strip_tags(cell).split())
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]
    ]
    for row, name in zip(rows, ("same_day", "next_day"), strict=True):
        c = insights[name]
        assert row[1:] == [
            f"{floatformat(c['kind_mean'], 1)} ({c['kind_days']})",
            f"{floatformat(c['other_mean'], 1)} ({c['other_days']})",
            floatformat(c["difference"], 1),
            f"{floatformat(c['ci95'][0], 1)} to {floatformat(c['ci95'][1], 1)}",
            "&lt; 0.001" if c["p_value"] < 0.001 else floatformat(c["p_value"], 3),
        ]
    for sentence in summary_sentences(insights):
        assert escape(sentence) in page


def test_report_of_an_empty_period_says_so_without_a_chart(owner_client, journal):
    page = owner_client.get(REPORT_URL, {"start": "2024-01-01", "end": "2024-01-31"})
    text = page.content.decode()
    assert "Nothing was logged in this period." in text
    assert "no moods rated in this period" in text
    assert "mood-chart" not in text


def test_report_is_not_cached(owner_client, journal):
    assert report(owner_client)["Cache-Control"] == "no-store"


def test_nav_links_to_export(owner_client):
    page = owner_client.get(reverse("journal:history")).content.decode()
    assert f'href="{EXPORT_URL}">Export</a>' in page
