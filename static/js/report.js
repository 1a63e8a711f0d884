// The printable report: the mood trend chart (data from json_script "mood-chart-data", drawn by
// charts.js as on Insights) and the print button. A canvas sized for a phone prints small and
// blurred, and browsers lay out the printed page without giving a chart the chance to redraw,
// so a second, paper-sized copy of the chart is drawn once as an image that only the print
// stylesheet shows.
(function () {
  "use strict";
  var printButton = document.querySelector("[data-kj-print]");
  if (printButton) {
    printButton.addEventListener("click", function () { window.print(); });
  }

  var canvas = document.getElementById("mood-chart");
  var charts = window.KindJournalCharts;
  if (!canvas || typeof Chart === "undefined" || !charts) return;
  var data = JSON.parse(document.getElementById("mood-chart-data").textContent);

  function config(colours, extra) {
    var chart = charts.trendChart(data.series, data.series_unit, colours);
    Object.assign(chart.options, { animation: false, maintainAspectRatio: false }, extra);
    return chart;
  }

  new Chart(canvas, config(charts.themeColours(), {}));

  // Paper: about the width of an A4 or Letter page between margins, dark on white, sharp.
  var paperCanvas = document.createElement("canvas");
  paperCanvas.width = 700;
  paperCanvas.height = 250;
  var paperChart = new Chart(paperCanvas, config(charts.PAPER, { responsive: false, devicePixelRatio: 3 }));
  var paperImage = document.createElement("img");
  paperImage.className = "kj-chart-paper";
  paperImage.alt = canvas.getAttribute("aria-label");
  paperImage.src = paperChart.toBase64Image();
  canvas.parentNode.after(paperImage);
  paperChart.destroy();
})();
