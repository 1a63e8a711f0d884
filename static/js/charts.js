// Chart code shared by the Insights page (insights.js) and the printable report (report.js):
// the theme's colours, dates in the reader's own locale, and the mood-and-kindness trend chart
// for a series of days or of months (`series_unit` in the data the pages embed).
window.KindJournalCharts = (function () {
  "use strict";

  function hexToRgba(hex, alpha) {
    var n = parseInt(hex.replace("#", ""), 16);
    return "rgba(" + (n >> 16) + ", " + ((n >> 8) & 255) + ", " + (n & 255) + ", " + alpha + ")";
  }

  // The page's Bootstrap colours, light or dark (theme.js sets data-bs-theme).
  function themeColours() {
    var style = getComputedStyle(document.documentElement);
    function css(name) { return style.getPropertyValue(name).trim(); }
    function rgba(name, alpha) { return "rgba(" + css(name) + ", " + alpha + ")"; }
    return {
      text: css("--bs-secondary-color"),
      grid: css("--bs-border-color-translucent"),
      // The link colour is Bootstrap's primary blue, lightened in dark mode.
      mood: rgba("--bs-link-color-rgb", 1),
      moodSoft: rgba("--bs-link-color-rgb", 0.55),
      moodFaint: rgba("--bs-link-color-rgb", 0.25),
      kind: css("--bs-teal"),
      kindSoft: hexToRgba(css("--bs-teal"), 0.55),
      kindFaint: hexToRgba(css("--bs-teal"), 0.35),
      other: css("--bs-secondary-color"),
      otherSoft: rgba("--bs-secondary-rgb", 0.35)
    };
  }

  // Dark on white for paper, whatever the screen's theme.
  var PAPER = {
    text: "#222", grid: "#ccc", mood: "#0a58ca", moodSoft: "rgba(10, 88, 202, 0.6)",
    moodFaint: "rgba(10, 88, 202, 0.3)", kind: "#0f7a5c", kindSoft: "rgba(15, 122, 92, 0.55)",
    kindFaint: "rgba(15, 122, 92, 0.35)", other: "#555", otherSoft: "rgba(85, 85, 85, 0.35)"
  };

  var SHORT_DAY = { day: "numeric", month: "short" };
  var MONTH = { month: "short", year: "numeric" };
  var FULL_DAY = { weekday: "short", day: "numeric", month: "short", year: "numeric" };
  var FULL_MONTH = { month: "long", year: "numeric" };

  // "2026-05-03" or "2026-05" as a local date, formatted in the reader's own language.
  function dateLabel(iso, options) {
    var parts = iso.split("-").map(Number);
    return new Date(parts[0], parts[1] - 1, parts[2] || 1).toLocaleDateString(undefined, options);
  }

  // Mood axes run half a step past 1 and 10, so label only the whole numbers.
  function wholeNumberTicks(axis) {
    axis.ticks = [];
    for (var value = Math.ceil(axis.min); value <= axis.max; value++) {
      axis.ticks.push({ value: value });
    }
  }

  function trendChart(series, unit, c) {
    var monthly = unit === "month";
    var long = series.length > 120;
    var maxActs = Math.max.apply(null, [0].concat(series.map(function (item) { return item.acts; })));
    var moods = monthly
      ? [{
        type: "line", label: "Average mood that month", yAxisID: "mood", order: 0,
        data: series.map(function (item) { return item.mood_mean; }),
        borderColor: c.mood, backgroundColor: c.mood, borderWidth: 2, pointRadius: 2.5, spanGaps: false
      }]
      : [
        {
          type: "line", label: "Mood", yAxisID: "mood", order: 0, showLine: false,
          data: series.map(function (item) { return item.mood; }),
          pointRadius: long ? 1.5 : 3, backgroundColor: c.moodSoft, borderColor: c.moodSoft
        },
        {
          type: "line", label: "7-day average mood", yAxisID: "mood", order: 1,
          data: series.map(function (item) { return item.mood_avg7; }),
          borderColor: c.mood, backgroundColor: c.mood, borderWidth: 2, pointRadius: 0, tension: 0.3
        }
      ];
    return {
      type: "bar",
      data: {
        labels: series.map(function (item) { return monthly ? item.month : item.date; }),
        datasets: moods.concat([{
          type: "bar", label: monthly ? "Acts that month" : "Acts", yAxisID: "acts", order: 2,
          data: series.map(function (item) { return item.acts; }),
          backgroundColor: c.kindFaint
        }])
      },
      options: {
        interaction: { mode: "index", intersect: false },
        color: c.text,
        scales: {
          x: {
            grid: { display: false },
            ticks: {
              color: c.text, maxRotation: 0, autoSkip: true, maxTicksLimit: 5,
              callback: function (value) {
                var short = monthly || series.length > 180 ? MONTH : SHORT_DAY;
                return dateLabel(this.getLabelForValue(value), short);
              }
            }
          },
          mood: {
            position: "left", min: 0.5, max: 10.5, afterBuildTicks: wholeNumberTicks,
            grid: { color: c.grid }, ticks: { color: c.text },
            title: { display: true, text: "Mood", color: c.text }
          },
          // Twice the most acts, so the bars keep to the lower half, under most moods.
          acts: {
            position: "right", beginAtZero: true, suggestedMax: 2 * maxActs,
            ticks: { precision: 0, color: c.text }, grid: { drawOnChartArea: false },
            title: { display: true, text: "Acts", color: c.text }
          }
        },
        plugins: {
          legend: { labels: { color: c.text } },
          tooltip: {
            callbacks: {
              title: function (items) { return dateLabel(items[0].label, monthly ? FULL_MONTH : FULL_DAY); }
            }
          }
        }
      }
    };
  }

  return {
    themeColours: themeColours,
    PAPER: PAPER,
    dateLabel: dateLabel,
    wholeNumberTicks: wholeNumberTicks,
    trendChart: trendChart
  };
})();
