"""Today's progress and "On this day" on a phone: read, followed, and turned off in Settings."""

import datetime
import re

from playwright.sync_api import expect

from kindjournal.journal import progress
from kindjournal.journal.models import DayEntry, KindnessAct


def test_today_shows_progress_and_a_year_ago_and_the_setting_turns_it_off(
    page, logged_in, owner, today
):
    year_ago = progress.year_ago_dates(today)[0]
    KindnessAct.objects.create(user=owner, date=year_ago, description="Cooked a meal for Ana")
    DayEntry.objects.create(user=owner, date=today, mood=6, recorded_on=today)
    logged_in(owner)
    page.goto("/")

    status = page.get_by_role("region", name="Your progress")
    expect(status).to_contain_text(f"This month: 1 of {today.day} day")
    expect(status).to_contain_text("Acts of kindness so far: 1")
    memories = page.get_by_role("region", name="On this day")
    sentence = "you cooked a meal for Ana."
    expect(memories).to_contain_text(sentence)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    memories.get_by_role("link", name=re.compile(r"^Open ")).click()
    expect(page).to_have_url(re.compile(f"/day/{year_ago}/$"))
    expect(page.get_by_text("Cooked a meal for Ana")).to_be_visible()

    page.goto("/accounts/settings/")
    setting = page.get_by_label("Show “On this day” on Today")
    expect(setting).to_be_checked()
    setting.uncheck()
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Settings saved.")).to_be_visible()
    owner.profile.refresh_from_db()
    assert owner.profile.show_on_this_day is False

    page.goto("/")
    expect(page.get_by_role("region", name="Your progress")).to_be_visible()
    expect(page.get_by_text(sentence)).to_have_count(0)
    expect(page.get_by_role("heading", name="On this day")).to_have_count(0)


def test_the_calendar_is_one_tap_away_in_the_phone_menu(page, logged_in, owner, today):
    DayEntry.objects.create(
        user=owner, date=today - datetime.timedelta(days=1), mood=8, recorded_on=today
    )
    logged_in(owner)
    page.goto("/")
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Calendar").click()
    expect(page).to_have_url(re.compile(r"/calendar/$"))
    expect(page.get_by_role("heading", name=f"Your year: {today.year}")).to_be_visible()
