// Insights charts: Chart.js (loaded from the CDN just before this file) draws the numbers the
// page embeds as json_script "insights-data". A canvas is only on the page when its chart has
// something to show; the data tables beside them carry the same numbers without JavaScript.
(function () {
  "use strict";
  var source = document.getElementById("insights-data");
  if (!source || !window.Chart) {
    return;
  }
  var data = JSON.parse(source.textContent);
  var reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;

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

  function hexToRgba(hex, alpha) {
    var n = parseInt(hex.replace("#", ""), 16);
    return "rgba(" + (n >> 16) + ", " + ((n >> 8) & 255) + ", " + (n & 255) + ", " + alpha + ")";
  }

  var SHORT_DAY = { day: "numeric", month: "short" };
  var MONTH = { month: "short", year: "numeric" };
  var FULL_DAY = { weekday: "short", day: "numeric", month: "short", year: "numeric" };

  function dayLabel(iso, options) {
    return new Date(iso + "T00:00:00").toLocaleDateString(undefined, options);
  }

  // A fixed pseudo-random nudge in [-0.15, 0.15] for point i, so equal (acts, mood) days stay
  // visible and the chart is the same on every load.
  function jitter(i) {
    var x = Math.sin(i * 12.9898 + 78.233) * 43758.5453;
    return (x - Math.floor(x) - 0.5) * 0.3;
  }

  // Mood axes run half a step past 1 and 10 (and the scatter's acts axis past its ends), so
  // label only the whole numbers.
  function wholeNumberTicks(axis) {
    axis.ticks = [];
    for (var value = Math.ceil(axis.min); value <= axis.max; value++) {
      axis.ticks.push({ value: value });
    }
  }

  function trendChart(c) {
    var series = data.series;
    var long = series.length > 120;
    var maxActs = Math.max.apply(null, series.map(function (day) { return day.acts; }));
    return {
      type: "bar",
      data: {
        labels: series.map(function (day) { return day.date; }),
        datasets: [
          {
            type: "line", label: "Mood", yAxisID: "mood", order: 0, showLine: false,
            data: series.map(function (day) { return day.mood; }),
            pointRadius: long ? 1.5 : 3, backgroundColor: c.moodSoft, borderColor: c.moodSoft
          },
          {
            type: "line", label: "7-day average mood", yAxisID: "mood", order: 1,
            data: series.map(function (day) { return day.mood_avg7; }),
            borderColor: c.mood, backgroundColor: c.mood, borderWidth: 2, pointRadius: 0, tension: 0.3
          },
          {
            type: "bar", label: "Acts", yAxisID: "acts", order: 2,
            data: series.map(function (day) { return day.acts; }),
            backgroundColor: c.kindFaint
          }
        ]
      },
      options: {
        interaction: { mode: "index", intersect: false },
        scales: {
          x: {
            grid: { display: false },
            ticks: {
              maxRotation: 0, autoSkip: true, maxTicksLimit: 5,
              callback: function (value) {
                return dayLabel(this.getLabelForValue(value), series.length > 180 ? MONTH : SHORT_DAY);
              }
            }
          },
          mood: { position: "left", min: 0.5, max: 10.5, afterBuildTicks: wholeNumberTicks, title: { display: true, text: "Mood" } },
          // Twice the most acts, so the bars keep to the lower half, under most moods.
          acts: {
            position: "right", beginAtZero: true, suggestedMax: 2 * maxActs, ticks: { precision: 0 },
            grid: { drawOnChartArea: false }, title: { display: true, text: "Acts" }
          }
        },
        plugins: {
          tooltip: { callbacks: { title: function (items) { return dayLabel(items[0].label, FULL_DAY); } } }
        }
      }
    };
  }

  function compareChart(c) {
    var labels = [], means = [], intervals = [], colours = [], softColours = [];
    function add(label, mean, interval, kind) {
      labels.push(label);
      means.push(mean);
      intervals.push(interval);
      colours.push(kind ? c.kind : c.other);
      softColours.push(kind ? c.kindSoft : c.otherSoft);
    }
    if (data.same_day) {
      add(["Kind", "days"], data.same_day.kind_mean, data.same_day.kind_ci95, true);
      add(["Other", "days"], data.same_day.other_mean, data.same_day.other_ci95, false);
    }
    if (data.next_day) {
      add(["After", "kind days"], data.next_day.kind_mean, data.next_day.kind_ci95, true);
      add(["After", "other days"], data.next_day.other_mean, data.next_day.other_ci95, false);
    }
    return {
      type: "bar",
      data: {
        labels: labels,
        datasets: [
          {
            type: "line", label: "Average mood", order: 0, showLine: false, data: means,
            pointStyle: "rectRot", pointRadius: 7, pointHoverRadius: 8,
            pointBackgroundColor: colours, pointBorderColor: colours
          },
          {
            type: "bar", label: "95% interval of the average", order: 1, data: intervals,
            backgroundColor: softColours, barPercentage: 0.25
          }
        ]
      },
      options: {
        scales: {
          x: { grid: { display: false } },
          y: { beginAtZero: false, suggestedMin: 1, suggestedMax: 10, title: { display: true, text: "Mood" } }
        },
        plugins: { legend: { display: false } }
      }
    };
  }

  function doseChart(c) {
    var points = [];
    var maxActs = 0;
    data.series.forEach(function (day) {
      if (day.mood !== null) {
        var i = points.length;
        points.push({ x: day.acts + jitter(i), y: day.mood + jitter(i + 7919) });
        maxActs = Math.max(maxActs, day.acts);
      }
    });
    return {
      type: "scatter",
      data: {
        datasets: [{
          label: "Rated days", data: points, pointRadius: 3,
          backgroundColor: c.moodFaint, borderColor: c.moodSoft
        }]
      },
      options: {
        scales: {
          x: { min: -0.5, max: maxActs + 0.5, afterBuildTicks: wholeNumberTicks, title: { display: true, text: "Acts that day" } },
          y: { min: 0.5, max: 10.5, afterBuildTicks: wholeNumberTicks, title: { display: true, text: "Mood" } }
        },
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: function (item) {
                return "Acts " + Math.round(item.parsed.x) + ", mood " + Math.round(item.parsed.y);
              }
            }
          }
        }
      }
    };
  }

  function categoryChart(c) {
    var rows = data.by_category;
    return {
      type: "bar",
      data: {
        labels: ["No acts"].concat(rows.map(function (row) { return row.label; })),
        datasets: [{
          label: "Average mood",
          data: [data.other_days_mean].concat(rows.map(function (row) { return row.mean_mood; })),
          backgroundColor: [c.otherSoft].concat(rows.map(function () { return c.kindSoft; })),
          borderColor: [c.other].concat(rows.map(function () { return c.kind; })),
          borderWidth: 1
        }]
      },
      options: {
        indexAxis: "y",
        scales: {
          x: { min: 1, max: 10, title: { display: true, text: "Average mood" } },
          y: { grid: { display: false } }
        },
        plugins: { legend: { display: false } }
      }
    };
  }

  Chart.defaults.maintainAspectRatio = false;
  if (reduceMotion) {
    Chart.defaults.animation = false;
  }

  var builders = {
    "chart-trend": trendChart,
    "chart-compare": compareChart,
    "chart-dose": doseChart,
    "chart-category": categoryChart
  };

  function draw() {
    var c = themeColours();
    Chart.defaults.color = c.text;
    Chart.defaults.borderColor = c.grid;
    Object.keys(builders).forEach(function (id) {
      var canvas = document.getElementById(id);
      if (!canvas) {
        return;
      }
      var existing = Chart.getChart(canvas);
      if (existing) {
        existing.destroy();
      }
      new Chart(canvas, builders[id](c));
    });
  }

  draw();
  // theme.js switches data-bs-theme when the system goes light or dark: redraw in its colours.
  new MutationObserver(draw).observe(document.documentElement, { attributes: true, attributeFilter: ["data-bs-theme"] });
})();
