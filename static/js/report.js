// The printable report: the mood trend chart (data from json_script "mood-chart-data") and the
// print button. Charts do not resize themselves for paper, so the chart is redrawn at a
// page-wide size before printing and put back afterwards.
(function () {
  var printButton = document.querySelector("[data-kj-print]");
  if (printButton) {
    printButton.addEventListener("click", function () { window.print(); });
  }

  var canvas = document.getElementById("mood-chart");
  if (!canvas || typeof Chart === "undefined") return;
  var data = JSON.parse(document.getElementById("mood-chart-data").textContent);
  var DAY_MS = 86400000;
  // Days since 1970 on a linear axis keep missed days as gaps in time, without a date adapter.
  function dayNumber(iso) { return Date.parse(iso + "T00:00:00Z") / DAY_MS; }
  function isoDate(day) { return new Date(day * DAY_MS).toISOString().slice(0, 10); }
  var first = dayNumber(data.start);
  var last = dayNumber(data.end);
  if (last - first < 2) { first -= 1; last += 1; }  // a one- or two-day period still has width
  var points = data.dates.map(function (date, i) { return { x: dayNumber(date), y: data.moods[i] }; });

  var chart = new Chart(canvas, {
    type: "line",
    data: {
      datasets: [{
        label: "Mood",
        data: points,
        borderColor: "#0d6efd",
        backgroundColor: "#0d6efd",
        borderWidth: 2,
        pointRadius: points.length > 120 ? 0 : 3,
        tension: 0,
      }],
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      // Sharp on paper as well as on screen.
      devicePixelRatio: Math.max(window.devicePixelRatio || 1, 2),
      parsing: false,
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { title: function (items) { return isoDate(items[0].parsed.x); } } },
      },
      scales: {
        x: {
          type: "linear",
          min: first,
          max: last,
          ticks: { maxTicksLimit: 6, precision: 0, callback: function (value) { return isoDate(value); } },
        },
        y: { min: 1, max: 10, ticks: { stepSize: 1 }, title: { display: true, text: "Mood" } },
      },
    },
  });

  window.addEventListener("beforeprint", function () { chart.resize(680, 260); });
  window.addEventListener("afterprint", function () { chart.resize(); });
})();
