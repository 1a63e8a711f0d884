// Insights charts: Chart.js (loaded from the CDN just before this file) draws the numbers the
// page embeds as json_script "insights-data". A canvas is only on the page when its chart has
// something to show; the data tables beside them carry the same numbers without JavaScript.
(function () {
  "use strict";
  var source = document.getElementById("insights-data");
  if (!source || !window.Chart || !window.KindJournalCharts) {
    return;
  }
  var data = JSON.parse(source.textContent);
  var reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  var charts = window.KindJournalCharts;

  // A fixed pseudo-random nudge in [-0.15, 0.15] for point i, so equal (acts, mood) days stay
  // visible and the chart is the same on every load.
  function jitter(i) {
    var x = Math.sin(i * 12.9898 + 78.233) * 43758.5453;
    return (x - Math.floor(x) - 0.5) * 0.3;
  }

  var wholeNumberTicks = charts.wholeNumberTicks;

  function trendChart(c) {
    return charts.trendChart(data.series, data.series_unit, c);
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
    // One dot per rated day, from the (acts, mood) table, each nudged its own way.
    var points = [];
    var maxActs = 0;
    data.acts_mood_days.forEach(function (row) {
      for (var k = 0; k < row.days; k++) {
        var i = points.length;
        points.push({ x: row.acts + jitter(i), y: row.mood + jitter(i + 7919) });
      }
      maxActs = Math.max(maxActs, row.acts);
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
    var c = charts.themeColours();
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
