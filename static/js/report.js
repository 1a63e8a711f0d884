// The printable report: the mood trend chart (data from json_script "mood-chart-data") and the
// print button. A canvas sized for a phone prints small and blurred, and browsers lay out the
// printed page without giving a chart the chance to redraw, so a second, paper-sized copy of
// the chart is drawn once as an image that only the print stylesheet shows.
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
  // Axis labels: "3 Mar" within a year, "Mar 2025" over longer periods.
  var tickFormat = dayNumber(data.end) - dayNumber(data.start) > 366
    ? { month: "short", year: "numeric", timeZone: "UTC" }
    : { day: "numeric", month: "short", timeZone: "UTC" };
  function tickLabel(day) { return new Date(day * DAY_MS).toLocaleDateString("en-GB", tickFormat); }
  var first = dayNumber(data.start);
  var last = dayNumber(data.end);
  if (last - first < 2) { first -= 1; last += 1; }  // a one- or two-day period still has width
  function pointsOf(dates, values) {
    return dates.map(function (date, i) { return { x: dayNumber(date), y: values[i] }; });
  }
  var moods = pointsOf(data.dates, data.moods);
  var averages = pointsOf(data.average_dates, data.averages);

  function config(colours, extra) {
    var options = {
      animation: false,
      maintainAspectRatio: false,
      parsing: false,
      color: colours.text,
      plugins: {
        legend: { labels: { color: colours.text, usePointStyle: true, boxHeight: 6 } },
        tooltip: { callbacks: { title: function (items) { return isoDate(items[0].parsed.x); } } },
      },
      scales: {
        x: {
          type: "linear",
          min: first,
          max: last,
          grid: { color: colours.grid },
          ticks: {
            color: colours.text,
            maxTicksLimit: 6,
            precision: 0,
            callback: function (value) { return tickLabel(value); },
          },
        },
        y: {
          min: 1,
          max: 10,
          grid: { color: colours.grid },
          ticks: { color: colours.text, stepSize: 1 },
          title: { display: true, text: "Mood", color: colours.text },
        },
      },
    };
    return {
      type: "line",
      data: {
        datasets: [
          {
            label: "Mood",
            data: moods,
            showLine: false,
            borderColor: colours.line,
            backgroundColor: colours.line,
            pointRadius: moods.length > 120 ? 1.5 : 3,
          },
          {
            label: "7-day average",
            data: averages,
            borderColor: colours.average,
            backgroundColor: colours.average,
            borderWidth: 2,
            pointRadius: 0,
            pointStyle: "line",
            tension: 0,
          },
        ],
      },
      options: Object.assign(options, extra),
    };
  }

  var style = getComputedStyle(document.documentElement);
  new Chart(canvas, config({
    text: style.getPropertyValue("--bs-secondary-color").trim() || "#666",
    grid: style.getPropertyValue("--bs-border-color-translucent").trim() || "#ddd",
    line: style.getPropertyValue("--bs-primary").trim() || "#0d6efd",
    average: style.getPropertyValue("--bs-body-color").trim() || "#212529",
  }, {}));

  // Paper: about the width of an A4 or Letter page between margins, black on white, sharp.
  var paperCanvas = document.createElement("canvas");
  paperCanvas.width = 700;
  paperCanvas.height = 250;
  var paperChart = new Chart(paperCanvas, config(
    { text: "#222", grid: "#ccc", line: "#0a58ca", average: "#111" },
    { responsive: false, devicePixelRatio: 3 }
  ));
  var paperImage = document.createElement("img");
  paperImage.className = "kj-chart-paper";
  paperImage.alt = canvas.getAttribute("aria-label");
  paperImage.src = paperChart.toBase64Image();
  canvas.parentNode.after(paperImage);
  paperChart.destroy();
})();
