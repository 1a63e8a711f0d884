"""A new person's first evening with KindJournal, on a phone, through the real pages."""

import re

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from kindjournal.journal.models import DayEntry, KindnessAct
from tests.browser.conftest import (
    PHONE,
    collect_console_errors,
    route_like_the_page_fixture,
)
from tests.conftest import PASSWORD


def test_sign_up_rate_today_add_acts_edit_yesterday_see_history_log_out(browser, live_server):
    # A phone in New Zealand: its time zone must reach the new account.
    context = browser.new_context(
        viewport=PHONE, base_url=live_server.url, timezone_id="Pacific/Auckland"
    )
    route_like_the_page_fixture(context, live_server)
    page = context.new_page()
    errors = collect_console_errors(page)
    page.goto("/")
    page.get_by_role("link", name="Sign up").first.click()
    page.get_by_label("Username").fill("robin")
    page.get_by_label(re.compile(r"^\s*Password\W*$")).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Today")).to_be_visible()

    user = get_user_model().objects.get(username="robin")
    assert user.profile.time_zone == "Pacific/Auckland"

    # Rating today's mood: one tap on a mood, one on Save.
    page.get_by_text("7", exact=True).click()
    page.get_by_role("button", name="Save mood").click()
    expect(page.get_by_text("Saved mood 7 for today.")).to_be_visible()
    today = user.profile.today()
    assert DayEntry.objects.get(user=user, date=today).mood == 7

    # Two acts, each typed and sent with Enter.
    page.get_by_label("What did you do?").fill("Texted Sam to check in")
    page.get_by_label("Kind of act").select_option(label="Check-in message or call")
    page.get_by_label("What did you do?").press("Enter")
    expect(page.get_by_text("Texted Sam to check in")).to_be_visible()
    page.get_by_label("What did you do?").fill("Cooked dinner for Jo")
    page.get_by_label("Kind of act").select_option("meal")
    page.get_by_label("What did you do?").press("Enter")
    expect(page.get_by_text("Cooked dinner for Jo")).to_be_visible()
    assert list(KindnessAct.objects.filter(user=user).values_list("description", "category")) == [
        ("Texted Sam to check in", "checkin"),
        ("Cooked dinner for Jo", "meal"),
    ]

    # Yesterday, through the day navigation.
    page.get_by_role("navigation", name="Days").get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(r"/day/\d{4}-\d{2}-\d{2}/$"))
    page.get_by_text("4", exact=True).click()
    page.get_by_label("Note (private)").fill("Tired, but called Mum 💛")
    page.get_by_role("button", name="Save mood").click()
    expect(page.get_by_text(re.compile(r"Saved mood 4 for \w+day"))).to_be_visible()

    # History, through the collapsed phone menu.
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="History").click()
    rows = page.get_by_role("row")
    expect(rows).to_have_count(3)  # header + two days
    today_cells, yesterday_cells = rows.nth(1).get_by_role("cell"), rows.nth(2).get_by_role("cell")
    expect(today_cells.nth(0)).to_have_text("7")  # mood
    expect(today_cells.nth(1)).to_have_text("2")  # acts
    expect(yesterday_cells.nth(0)).to_have_text("4")
    expect(yesterday_cells.nth(1)).to_have_text("0")

    page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name=re.compile("Log out")).click()
    expect(page.get_by_role("heading", name=re.compile("Does helping others lift"))).to_be_visible()
    page.goto("/history/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    context.close()
    assert errors == []


def test_mood_is_chosen_and_saved_with_the_keyboard_alone(page, logged_in, owner):
    logged_in(owner)
    page.goto("/")
    page.get_by_label("Note (private)").focus()
    page.keyboard.press("Shift+Tab")  # back into the mood radios
    page.keyboard.press("Space")  # select the focused (last) radio: 10
    page.keyboard.press("ArrowLeft")  # 9
    page.keyboard.press("Tab")
    page.keyboard.type("keyboard only")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Saved mood 9 for today.")).to_be_visible()
    assert DayEntry.objects.get(user=owner).note == "keyboard only"


def test_pages_fit_a_phone_screen_without_sideways_scrolling(page, logged_in, owner, client):
    for path in ["/", "/accounts/login/", "/accounts/signup/"]:
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
    logged_in(owner)
    for path in ["/", "/day/2026-01-15/", "/history/", "/accounts/settings/"]:
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
    page.goto("/")
    box = page.locator("label[for=id_mood_9]").bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44


def test_pages_follow_the_systems_dark_mode(page, logged_in, owner):
    logged_in(owner)
    page.emulate_media(color_scheme="dark")
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("data-bs-theme", "dark")
    page.emulate_media(color_scheme="light")
    expect(page.locator("html")).to_have_attribute("data-bs-theme", "light")
