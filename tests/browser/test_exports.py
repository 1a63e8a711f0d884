"""Exporting for a therapist on a phone: the CSV download, the report and its chart."""

import datetime
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from kindjournal.journal.models import DayEntry, KindnessAct
from tests.conftest import PASSWORD


@pytest.fixture
def journal(owner, today):
    for offset, mood in [(40, 4), (20, 6), (2, 8), (1, 7)]:
        day = today - datetime.timedelta(days=offset)
        DayEntry.objects.create(user=owner, date=day, mood=mood, note="ok", recorded_on=day)
    KindnessAct.objects.create(user=owner, date=today, description="=1+1 biscuits")
    return owner


def test_download_the_csv_through_the_export_page(page, logged_in, journal, today):
    logged_in(journal)
    page.goto("/")
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Export").click()
    expect(page.get_by_role("heading", name="Export for your therapist")).to_be_visible()
    page.wait_for_load_state()  # static/js/export.js is listening
    expect(page.get_by_label("Include private notes")).not_to_be_checked()

    page.get_by_label("Everything").check()
    # The preset shows its dates: from the first logged day to today.
    expect(page.get_by_label("From")).to_have_value(str(today - datetime.timedelta(days=40)))
    expect(page.get_by_label("To")).to_have_value(str(today))
    page.get_by_label("Include private notes").check()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download CSV").click()
    download = download_info.value
    first = today - datetime.timedelta(days=40)
    assert download.suggested_filename == f"kindjournal_{first}_{today}.csv"
    body = Path(download.path()).read_bytes()
    assert body.startswith(b"\xef\xbb\xbfdate,weekday,mood,acts_count,acts,recorded_on,note\r\n")
    assert body.count(b"\r\n") == 6  # header + five days
    assert body.endswith(b',1,"Other: =1+1 biscuits",,""\r\n')

    # Still on the form, whose buttons still work after a download.
    page.get_by_label("Last 30 days").check()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download CSV").click()
    assert download_info.value.suggested_filename.startswith(
        f"kindjournal_{today - datetime.timedelta(days=29)}_"
    )


def test_typing_a_date_switches_to_chosen_dates_and_bad_dates_are_explained(
    page, logged_in, journal, today
):
    logged_in(journal)
    page.goto("/export/")
    page.get_by_label("From").fill(str(today))
    expect(page.get_by_label("Dates I choose")).to_be_checked()
    page.get_by_label("To").fill(str(today - datetime.timedelta(days=3)))
    page.get_by_role("button", name="Open printable report").click()
    expect(page.get_by_text("The end date is before the start date.")).to_be_visible()


def test_open_the_report_with_its_chart_and_table(page, logged_in, journal, today):
    logged_in(journal)
    page.goto("/export/")
    page.get_by_label("Last 30 days").check()
    page.get_by_role("button", name="Open printable report").click()
    expect(page.get_by_role("heading", name="Mood and kindness report: alice")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/export/report/\?start=\d{4}-\d{2}-\d{2}&end="))
    expect(page.get_by_text("4 of 30 (mood rated on 3); 26 missed")).to_be_visible()
    expect(page.get_by_role("heading", name="Kind days and mood")).to_be_visible()

    # Chart.js loaded (integrity hash accepted) and plotted the three rated days of the period.
    chart = page.wait_for_function(
        "window.Chart && Chart.getChart(document.getElementById('mood-chart'))"
    )
    moods = chart.evaluate("chart => chart.data.datasets[0].data.filter(mood => mood !== null)")
    assert moods == [6, 8, 7]
    expect(page.get_by_role("img", name=re.compile("Line chart of daily mood"))).to_be_visible()
    days = page.get_by_role("table", name="Each logged day, oldest first")
    rows = days.get_by_role("row")
    expect(rows).to_have_count(5)  # header + four days
    expect(rows.last).to_contain_text("=1+1 biscuits")

    # On paper: no navigation or buttons; the chart is its paper-sized image, then the table.
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(page.get_by_role("button", name="Print or save as PDF")).to_be_hidden()
    expect(page.locator("#mood-chart")).to_be_hidden()
    paper = page.get_by_role("img", name=re.compile("Line chart of daily mood"))
    expect(paper).to_be_visible()
    assert paper.evaluate("image => image.naturalWidth") == 2100  # 700 px drawn at 3x
    expect(days).to_be_visible()


def test_delete_the_account_from_settings(page, logged_in, journal):
    logged_in(journal)
    page.goto("/accounts/settings/")
    page.get_by_role("link", name="Delete your account").click()
    page.get_by_label("Your password").fill("wrong-password-1")
    page.get_by_role("button", name="Delete my account and all my data").click()
    expect(page.get_by_text("That password is not right. Nothing was deleted.")).to_be_visible()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account and all my data").click()
    expect(page.get_by_text("Your account and everything in it have been deleted.")).to_be_visible()
    assert not DayEntry.objects.exists()
