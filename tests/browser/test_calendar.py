"""The year in pixels in a real browser: a phone, a desktop, the keyboard, paper, contrast."""

import calendar
import datetime
import re

import pytest
from playwright.sync_api import expect

from kindjournal.journal.models import DayEntry, KindnessAct

DESKTOP = {"width": 1280, "height": 900}
# The CSS pixel size of an A4 landscape sheet at 96 dpi.
A4_LANDSCAPE = {"width": 1123, "height": 794}

VISIBLE_DAYS = """() => [...document.querySelectorAll("td[data-date]")]
  .filter((cell) => cell.offsetParent !== null).map((cell) => cell.dataset.date)"""
# [background, text colour] of each legend step, and the page's background, as computed.
STEP_COLOURS = """() => ({
  page: getComputedStyle(document.body).backgroundColor,
  steps: [...document.querySelectorAll(".kj-legend-scale .kj-pixel")].map((pixel) => {
    const style = getComputedStyle(pixel);
    return [pixel.textContent.trim(), style.backgroundColor, style.color];
  }),
  cells: [...document.querySelectorAll("td[data-mood] .kj-pixel")].map((pixel) => {
    const style = getComputedStyle(pixel);
    return [pixel.closest("td").dataset.mood, style.backgroundColor];
  }),
})"""


def a_year_of_days(owner, year, until):
    """Moods 1 to 10 in turn on most days of `year` up to `until`, acts on every third day."""
    day = datetime.date(year, 1, 1)
    while day <= min(until, datetime.date(year, 12, 31)):
        if day.day % 7:
            DayEntry.objects.create(
                user=owner, date=day, mood=1 + day.toordinal() % 10, recorded_on=day
            )
        if day.day % 3 == 0:
            KindnessAct.objects.create(user=owner, date=day, description="Helped")
        day += datetime.timedelta(days=1)


def no_sideways_scrolling(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_on_a_phone_the_calendar_shows_one_month_at_a_time(page, logged_in, owner, today, tmp_path):
    a_year_of_days(owner, today.year, today)
    logged_in(owner)
    page.goto("/calendar/")

    visible = page.evaluate(VISIBLE_DAYS)
    length = calendar.monthrange(today.year, today.month)[1]
    assert visible == [
        datetime.date(today.year, today.month, d).isoformat() for d in range(1, length + 1)
    ]
    assert no_sideways_scrolling(page)
    todays_link = page.locator(f'td[data-date="{today.isoformat()}"] a')
    expect(todays_link).to_have_attribute("aria-current", "date")
    expect(todays_link).to_contain_text("(today)")

    other = today.month - 1 if today.month > 1 else 2
    page.get_by_role("navigation", name="Months").get_by_role(
        "link", name=calendar.month_name[other]
    ).click()
    expect(page.get_by_role("columnheader", name=calendar.month_name[other])).to_be_visible()
    shown = page.evaluate(VISIBLE_DAYS)
    assert shown[0] == datetime.date(today.year, other, 1).isoformat()
    assert all(date[5:7] == f"{other:02}" for date in shown)
    rows = page.locator("tbody tr").filter(has=page.locator("th:visible"))
    expect(rows).to_have_count(calendar.monthrange(today.year, other)[1])
    assert no_sideways_scrolling(page)
    page.screenshot(path=tmp_path / "phone.png", full_page=True)

    page.locator(f'td[data-date="{shown[0]}"] a').click()
    expect(page).to_have_url(re.compile(f"/day/{shown[0]}/$"))


@pytest.fixture
def desktop(context, page):
    page.set_viewport_size(DESKTOP)
    return page


def test_from_tablet_width_up_the_whole_year_shows_at_once(
    desktop, logged_in, owner, today, tmp_path
):
    page = desktop
    last_year = today.year - 1
    a_year_of_days(owner, last_year, today)
    logged_in(owner)
    page.goto(f"/calendar/?year={last_year}")

    days_in_year = 366 if calendar.isleap(last_year) else 365
    assert len(page.evaluate(VISIBLE_DAYS)) == days_in_year
    assert no_sideways_scrolling(page)
    expect(page.get_by_role("navigation", name="Months")).to_be_hidden()
    expect(page.get_by_role("columnheader", name="December")).to_be_visible()
    # Hovering a day shows its words above the table.
    page.locator(f'td[data-date="{last_year}-03-03"] a').hover()
    expect(page.locator("#calendar-status")).to_have_text(
        re.compile(r"^\w{3} 3 March: (mood \d+|no mood logged), ")
    )
    page.set_viewport_size({"width": 768, "height": 1024})
    assert len(page.evaluate(VISIBLE_DAYS)) == days_in_year
    assert no_sideways_scrolling(page)
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=tmp_path / "desktop.png", full_page=True)

    # Days still to come have no link, but screen readers still hear what they are.
    tomorrow = today + datetime.timedelta(days=1)
    if tomorrow.year == today.year:
        page.goto("/calendar/")
        cell = page.locator(f'td[data-date="{tomorrow}"]')
        words = f"{tomorrow:%a} {tomorrow.day} {tomorrow:%B}: still to come"
        expect(cell).to_have_accessible_name(words)
        expect(cell.get_by_role("link")).to_have_count(0)


def test_the_keyboard_moves_through_the_days_and_opens_one(desktop, logged_in, owner, today):
    page = desktop
    year = today.year - 1
    a_year_of_days(owner, year, today)
    logged_in(owner)
    page.goto(f"/calendar/?year={year}")

    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('td[data-date]')"):
            break
    focused = "document.activeElement.closest('td').dataset.date"
    assert page.evaluate(focused) == f"{year}-01-01"
    status = page.locator("#calendar-status")
    expect(status).to_have_text(re.compile(r"^\w{3} 1 January: "))

    page.keyboard.press("ArrowDown")
    assert page.evaluate(focused) == f"{year}-01-02"
    page.keyboard.press("ArrowRight")
    assert page.evaluate(focused) == f"{year}-02-02"
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowRight")
    assert page.evaluate(focused) == f"{year}-03-01"
    page.keyboard.press("ArrowUp")  # from 1 March back over the end of February
    last_of_february = 29 if calendar.isleap(year) else 28
    assert page.evaluate(focused) == f"{year}-02-{last_of_february}"
    label = page.evaluate("document.activeElement.getAttribute('aria-label')")
    expect(status).to_have_text(label)
    assert label.startswith(
        f"{datetime.date(year, 2, last_of_february):%a} {last_of_february} February: "
    )

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(f"/day/{year}-02-{last_of_february}/$"))


def test_the_calendar_prints_on_one_a4_landscape_page(page, logged_in, owner, today, tmp_path):
    year = today.year - 1
    a_year_of_days(owner, year, today)
    logged_in(owner)
    # Opened on a phone's screen: paper still gets every month.
    page.goto(f"/calendar/?year={year}")
    page.emulate_media(media="print")
    page.set_viewport_size(A4_LANDSCAPE)

    expect(page.locator(".kj-nav")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Months")).to_be_hidden()
    assert len(page.evaluate(VISIBLE_DAYS)) == (366 if calendar.isleap(year) else 365)
    expect(page.locator("tfoot")).to_be_visible()
    # The print-media screenshot: the whole sheet's content, no taller than the sheet.
    screenshot = page.screenshot(path=tmp_path / "print.png", full_page=True)
    assert int.from_bytes(screenshot[20:24], "big") <= A4_LANDSCAPE["height"]  # PNG height
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 1
    box = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", pdf)
    millimetres = [round(float(points) / 72 * 25.4) for points in box.groups()]
    assert millimetres == [297, 210]  # A4, landscape


def relative_luminance(css_colour):
    red, green, blue = (int(n) / 255 for n in re.findall(r"\d+", css_colour)[:3])

    def linear(channel):
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def contrast(one, other):
    lighter, darker = sorted((relative_luminance(one), relative_luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_mood_step_stands_out_from_the_page_and_keeps_its_number_readable(
    page, logged_in, owner, today, scheme
):
    a_year_of_days(owner, today.year - 1, today)
    logged_in(owner)
    page.emulate_media(color_scheme=scheme)
    page.goto(f"/calendar/?year={today.year - 1}")
    expect(page.locator("html")).to_have_attribute("data-bs-theme", scheme)
    colours = page.evaluate(STEP_COLOURS)

    assert [number for number, _, _ in colours["steps"]] == [str(n) for n in range(1, 11)]
    backgrounds = [background for _, background, _ in colours["steps"]]
    assert len(set(backgrounds)) == 10
    for number, background, text in colours["steps"]:
        assert contrast(background, colours["page"]) >= 3, number
        assert contrast(background, text) >= 4.5, number
    # The days wear the legend's colours.
    assert colours["cells"]
    assert all(background == backgrounds[int(mood) - 1] for mood, background in colours["cells"])
