"""Insights on a phone: Chart.js draws exactly the page's numbers; ranges and tables work."""

import json
import re
from collections import Counter

from playwright.sync_api import expect

from tests.test_insights import seed

# Each canvas's Chart.js instance (Chart.getChart) with its labels and datasets' data.
CHARTS = """() => Object.fromEntries([...document.querySelectorAll("canvas")].map((canvas) => {
  const chart = Chart.getChart(canvas);
  return [canvas.id, chart && {
    labels: chart.data.labels,
    datasets: chart.data.datasets.map((dataset) => dataset.data),
  }];
}))"""


def charts_on(page):
    """{canvas id: its chart's labels and data}, once the page's scripts have run."""
    page.wait_for_load_state("load")
    return page.evaluate(CHARTS)


def insights_data(page):
    return json.loads(page.locator("#insights-data").text_content())


def test_every_chart_draws_the_numbers_in_insights_data(page, logged_in, owner, today):
    seed(owner, today, 120)
    logged_in(owner)
    page.goto("/insights/")
    data = insights_data(page)
    charts = charts_on(page)
    assert set(charts) == {"chart-trend", "chart-compare", "chart-dose", "chart-category"}
    assert all(charts.values()), "a canvas without a Chart.js instance"

    series = data["series"]
    trend = charts["chart-trend"]
    assert trend["labels"] == [day["date"] for day in series]
    assert trend["datasets"] == [
        [day["mood"] for day in series],
        [day["mood_avg7"] for day in series],
        [day["acts"] for day in series],
    ]

    same_day, next_day = data["same_day"], data["next_day"]
    assert charts["chart-compare"]["datasets"] == [
        [
            same_day["kind_mean"],
            same_day["other_mean"],
            next_day["kind_mean"],
            next_day["other_mean"],
        ],
        [
            same_day["kind_ci95"],
            same_day["other_ci95"],
            next_day["kind_ci95"],
            next_day["other_ci95"],
        ],
    ]

    # One dot per rated day, each near its (acts, mood), as many at each as the table says.
    (points,) = charts["chart-dose"]["datasets"]
    rated = [day for day in series if day["mood"] is not None]
    assert len(points) == len(rated) == data["dose"]["n"]
    dots = Counter((round(point["x"]), round(point["y"])) for point in points)
    assert all(
        abs(point["x"] - round(point["x"])) <= 0.15 and abs(point["y"] - round(point["y"])) <= 0.15
        for point in points
    )
    assert dots == Counter((day["acts"], day["mood"]) for day in rated)
    assert dots == {(row["acts"], row["mood"]): row["days"] for row in data["acts_mood_days"]}

    category = charts["chart-category"]
    assert category["labels"] == ["No acts"] + [row["label"] for row in data["by_category"]]
    assert category["datasets"] == [
        [data["other_days_mean"]] + [row["mean_mood"] for row in data["by_category"]]
    ]
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_the_range_selector_redraws_the_charts_for_that_period(page, logged_in, owner, today):
    seed(owner, today, 400)
    logged_in(owner)
    page.goto("/insights/")
    assert len(charts_on(page)["chart-trend"]["labels"]) == 90

    page.get_by_role("link", name="30 days").click()
    expect(page).to_have_url(re.compile(r"\?range=30$"))
    expect(page.get_by_role("link", name="30 days")).to_have_attribute("aria-current", "page")
    data = insights_data(page)
    charts = charts_on(page)
    assert charts["chart-trend"]["labels"] == [day["date"] for day in data["series"]]
    assert len(data["series"]) == 30

    page.get_by_role("link", name="1 year").click()
    expect(page).to_have_url(re.compile(r"\?range=365$"))
    assert len(charts_on(page)["chart-trend"]["labels"]) == 365


def test_all_time_over_400_days_draws_one_point_per_month(page, logged_in, owner, today):
    seed(owner, today, 700)
    logged_in(owner)
    page.goto("/insights/?range=all")
    data = insights_data(page)
    assert data["series_unit"] == "month"
    trend = charts_on(page)["chart-trend"]
    assert trend["labels"] == [item["month"] for item in data["series"]]
    assert trend["datasets"] == [
        [item["mood_mean"] for item in data["series"]],
        [item["acts"] for item in data["series"]],
    ]
    expect(page.get_by_text("Each point is a month's average")).to_be_visible()
    page.get_by_text("Data table: mood and acts by month").click()
    table = page.get_by_role("table", name="Mood and acts by month, oldest first")
    expect(table.get_by_role("row")).to_have_count(len(data["series"]) + 1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    # The printable report of the same period follows the same months.
    start = data["range"]["start"]
    page.goto(f"/export/report/?start={start}&end={today}")
    chart = page.wait_for_function(
        "window.Chart && Chart.getChart(document.getElementById('mood-chart'))"
    )
    labels = chart.evaluate("chart => chart.data.labels")
    assert labels == [item["month"] for item in data["series"]]
    expect(page.get_by_text("Each point is a month's average")).to_be_visible()


def test_a_data_table_opens_and_scrolls_with_the_keyboard(page, logged_in, owner, today):
    seed(owner, today, 120)
    logged_in(owner)
    page.goto("/insights/")
    table = page.get_by_role("table", name="Mood and acts by day, oldest first")
    expect(table).to_be_hidden()
    for _ in range(30):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.textContent")
        if focused == "Data table: mood and acts by day":
            break
    else:
        raise AssertionError("Tab never reached the trend chart's data table")
    page.keyboard.press("Enter")
    expect(table).to_be_visible()
    # The scrolling box around the table is next in the tab order, so arrow keys scroll it.
    page.keyboard.press("Tab")
    region = page.get_by_role("region", name="Mood and acts by day")
    expect(region).to_be_focused()
    page.keyboard.press("End")
    expect(table.get_by_role("row").last).to_be_in_viewport()


def test_charts_follow_a_switch_to_dark_mode(page, logged_in, owner, today):
    seed(owner, today, 60)
    logged_in(owner)
    page.emulate_media(color_scheme="light")
    page.goto("/insights/")
    light = page.evaluate("Chart.defaults.color")
    page.emulate_media(color_scheme="dark")
    expect(page.locator("html")).to_have_attribute("data-bs-theme", "dark")
    page.wait_for_function(f"Chart.defaults.color !== {json.dumps(light)}")
    assert all(charts_on(page).values())


def test_a_new_account_sees_an_invitation_and_no_empty_charts(page, logged_in, owner):
    logged_in(owner)
    page.goto("/")
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Insights").click()
    expect(page.get_by_role("heading", name="Your insights will grow here")).to_be_visible()
    expect(page.locator("canvas")).to_have_count(0)
    page.get_by_role("link", name="Rate today’s mood").click()
    expect(page.get_by_role("heading", name="Today")).to_be_visible()
