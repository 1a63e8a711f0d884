"""Bringing a Daylio history into KindJournal on a phone: upload, preview, mapping, confirm."""

import re

from playwright.sync_api import expect

from kindjournal.journal.models import DayEntry, KindnessAct
from tests.imports_helpers import DATA


def test_import_a_daylio_export_choosing_moods_and_kind_activities(page, logged_in, owner):
    logged_in(owner)
    page.goto("/accounts/settings/")
    page.get_by_role("link", name="Import from Daylio or a KindJournal CSV").click()
    page.get_by_label("CSV file").set_input_files(DATA / "daylio_common.csv")
    page.get_by_role("button", name="Upload and preview").click()

    expect(page.get_by_role("heading", name="Check your import")).to_be_visible()
    expect(page.get_by_text("daylio_common.csv · Daylio CSV export")).to_be_visible()
    expect(page.locator("[data-count=new-days]")).to_have_text("3")
    expect(page.locator("[data-count=acts]")).to_have_text("0")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    for tick in ("label[for=id_kind_0]", "label[for=id_overwrite]"):
        assert page.locator(tick).bounding_box()["height"] >= 44

    page.get_by_label("good").select_option("9")
    page.get_by_role("checkbox", name=re.compile("^volunteering")).check()
    page.get_by_role("checkbox", name=re.compile("^called mom")).check()
    page.get_by_label("Kind of act for “called mom”").select_option(
        label="Check-in message or call"
    )
    page.get_by_role("button", name="Import").click()

    # The changed mapping is previewed before anything is written.
    expect(page.get_by_text("The preview now uses your changes")).to_be_visible()
    expect(page.locator("[data-count=acts]")).to_have_text("3")
    expect(page.get_by_label("good")).to_have_value("9")
    assert not DayEntry.objects.exists()
    page.get_by_role("button", name="Import").click()

    # Straight to the insights over all time, where the imported days already count.
    expect(page.get_by_text("Imported 3 days and 3 acts of kindness.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/insights/\?range=all$"))
    expect(page.get_by_text("1 Mar 2024 to")).to_contain_text("3 rated days, 3 acts of kindness")
    # All time since March 2024 is longer than 400 days: the trend reads by month.
    page.get_by_text("Data table: mood and acts by month").click()
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Mar 2024"))
    # Moods 1, 7 and 9: a mean of 5.667 over 3 rated days, with 3 acts.
    expect(row.get_by_role("cell")).to_have_text(["5.667", "3", "3"])

    # And in the history, newest first.
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="History").click()
    rows = page.get_by_role("row")
    expect(rows).to_have_count(4)  # header + three days
    for row, (day, mood, acts) in enumerate(
        [("Sun 3 Mar 2024", "9", "1"), ("Sat 2 Mar 2024", "7", "2"), ("Fri 1 Mar 2024", "1", "0")],
        start=1,
    ):
        expect(rows.nth(row).get_by_role("rowheader")).to_have_text(day)
        expect(rows.nth(row).get_by_role("cell").nth(0)).to_have_text(mood)
        expect(rows.nth(row).get_by_role("cell").nth(1)).to_have_text(acts)
    assert sorted(KindnessAct.objects.values_list("description", flat=True)) == [
        "called mom",
        "volunteering",
        "volunteering",
    ]


def test_a_file_that_is_not_csv_is_refused_on_the_upload_page(page, logged_in, owner, tmp_path):
    logged_in(owner)
    picture = tmp_path / "holiday.csv"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")
    page.goto("/import/")
    page.get_by_label("CSV file").set_input_files(picture)
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_text("This is not a CSV file")).to_be_visible()
