"""Sharing with a therapist, in a browser: create a link, open it elsewhere, revoke it."""

import datetime
import re
from pathlib import Path

import numpy
import pytest
import zxingcpp
from playwright.sync_api import expect

from kindjournal.journal.models import DayEntry, KindnessAct
from kindjournal.sharing.models import ShareAccess
from tests.browser.conftest import PHONE, collect_console_errors, route_like_the_page_fixture

# The QR image drawn into a canvas; its pixels (grey levels) go to the QR decoder.
READ_PIXELS = """(img) => {
  const canvas = document.createElement("canvas");
  canvas.width = img.naturalWidth;
  canvas.height = img.naturalHeight;
  const context = canvas.getContext("2d");
  context.drawImage(img, 0, 0);
  const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
  const grey = [];
  for (let i = 0; i < data.length; i += 4) grey.push(data[i]);
  return { width: canvas.width, height: canvas.height, grey: grey };
}"""


@pytest.fixture
def journal(owner, today):
    owner.profile.display_name = "Sam K."
    owner.profile.save()
    for offset, mood in [(20, 4), (2, 8), (1, 7)]:
        day = today - datetime.timedelta(days=offset)
        DayEntry.objects.create(
            user=owner, date=day, mood=mood, note="Slept badly again", recorded_on=day
        )
    KindnessAct.objects.create(user=owner, date=today, description="Soup for a neighbour")
    return owner


@pytest.fixture
def base_url_is_the_live_server(settings, live_server):
    settings.KINDJOURNAL_BASE_URL = live_server.url


def scanned(image):
    pixels = image.evaluate(READ_PIXELS)
    grey = numpy.array(pixels["grey"], dtype=numpy.uint8).reshape(pixels["height"], pixels["width"])
    return [result.text for result in zxingcpp.read_barcodes(grey)]


def test_create_a_link_open_it_without_logging_in_and_revoke_it(
    page, context, browser, live_server, logged_in, journal, today, base_url_is_the_live_server
):
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    logged_in(journal)
    page.goto("/export/")
    page.get_by_role("link", name="Create or manage share links").click()
    expect(page.get_by_role("heading", name="Share with your therapist")).to_be_visible()
    page.wait_for_load_state()  # static/js/share.js is listening

    # The dates are asked for only for "Dates I choose".
    expect(page.get_by_label("From")).to_be_hidden()
    page.get_by_label("Dates I choose").check()
    expect(page.get_by_label("From")).to_be_visible()
    page.get_by_label("The last 30 days, up to the day it is opened").check()
    expect(page.get_by_label("From")).to_be_hidden()

    page.get_by_label("Who is it for?").fill("Dr Lee")
    expect(page.get_by_label("Include private notes")).not_to_be_checked()
    expect(page.get_by_label("Stops working after")).to_have_value("7")
    page.get_by_role("button", name="Create link").click()

    link_box = page.get_by_role("textbox", name="Link for Dr Lee")
    url = link_box.input_value()
    assert re.fullmatch(rf"{live_server.url}/s/[A-Za-z0-9_-]{{43}}/", url), url
    page.get_by_role("button", name="Copy link").click()
    expect(page.get_by_role("status").filter(has_text="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == url
    # The QR code really scans to the link.
    assert scanned(page.get_by_role("img", name="QR code of the link for Dr Lee")) == [url]

    # The therapist: another browser with no cookies at all.
    therapist_context = browser.new_context(
        viewport=PHONE, base_url=live_server.url, accept_downloads=True
    )
    route_like_the_page_fixture(therapist_context, live_server)
    therapist = therapist_context.new_page()
    errors = collect_console_errors(therapist)
    therapist.goto(url)
    expect(therapist.get_by_text("Shared by Sam K., valid until")).to_be_visible()
    expect(
        therapist.get_by_role("heading", name="Mood and kindness report: Sam K.")
    ).to_be_visible()
    expect(therapist.get_by_text("Soup for a neighbour")).to_be_visible()
    expect(therapist.get_by_text("Slept badly again")).to_have_count(0)
    chart = therapist.wait_for_function(
        "window.Chart && Chart.getChart(document.getElementById('mood-chart'))"
        " && Chart.getChart(document.getElementById('mood-chart')).data.datasets[0].data"
        ".filter((mood) => mood !== null).length"
    )
    assert chart.json_value() == 3  # the three rated days of the period
    with therapist.expect_download() as download_info:
        therapist.get_by_role("link", name="Download CSV").click()
    download = download_info.value
    start = today - datetime.timedelta(days=29)
    assert download.suggested_filename == f"kindjournal_{start}_{today}.csv"
    csv = Path(download.path()).read_bytes()
    assert csv.startswith(b"\xef\xbb\xbfdate,weekday,mood,acts_count,acts,recorded_on\r\n")
    assert csv.endswith(b',1,"Other: Soup for a neighbour",\r\n')  # no note column
    assert list(ShareAccess.objects.order_by("pk").values_list("kind", flat=True)) == [
        "page",
        "csv",
    ]

    # The person sees both openings, then revokes the link.
    page.goto("/share/")
    expect(page.get_by_text("Access log (2 openings)")).to_be_visible()
    page.get_by_text("Access log (2 openings)").click()
    expect(page.get_by_role("cell", name="CSV download")).to_be_visible()
    expect(page.get_by_role("cell", name="127.0.0.0/24").first).to_be_visible()
    page.get_by_role("button", name="Revoke the link for Dr Lee").click()
    expect(page.get_by_text("The link for Dr Lee is revoked: it no longer opens.")).to_be_visible()

    response = therapist.reload()
    assert response.status == 404
    expect(therapist.get_by_role("heading", name="This link does not open")).to_be_visible()
    expect(therapist.get_by_text("Sam K.")).to_have_count(0)
    therapist_context.close()
    # The browser reports the 404 itself as a failed load; nothing else may go wrong.
    assert len(errors) <= 1 and all("status of 404" in error for error in errors), errors


def test_a_new_link_is_usable_by_keyboard_on_a_phone(
    page, logged_in, journal, base_url_is_the_live_server
):
    logged_in(journal)
    page.goto("/share/")
    page.get_by_label("Who is it for?").focus()
    page.keyboard.type("Clinic")
    page.keyboard.press("Enter")
    expect(page.get_by_role("textbox", name="Link for Clinic")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "the page scrolls sideways on a phone"
