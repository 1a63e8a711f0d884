// The year in pixels (templates/moodcalendar/calendar.html): shows the focused or hovered
// day's words above the table, and moves between days with the arrow keys (up and down by a
// day, left and right by a month). Without it every day is still a link with its words.
(function () {
  var table = document.querySelector(".kj-year");
  var status = document.getElementById("calendar-status");
  if (!table || !status) return;

  function show(event) {
    var link = event.target.closest("a[aria-label]");
    if (link && table.contains(link)) status.textContent = link.getAttribute("aria-label");
  }
  table.addEventListener("focusin", show);
  table.addEventListener("mouseover", show);

  function pad(number) {
    return (number < 10 ? "0" : "") + number;
  }

  // The ISO date `days` days or `months` months (same day, or the month's last) from `iso`.
  function moved(iso, days, months) {
    var parts = iso.split("-").map(Number);
    var date = new Date(Date.UTC(parts[0], parts[1] - 1 + months, 1));
    var length = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
    date.setUTCDate(Math.min(parts[2], length) + days);
    return date.getUTCFullYear() + "-" + pad(date.getUTCMonth() + 1) + "-" + pad(date.getUTCDate());
  }

  var steps = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
  table.addEventListener("keydown", function (event) {
    var step = steps[event.key];
    var cell = event.target.closest("td[data-date]");
    if (!step || !cell || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var target = table.querySelector('td[data-date="' + moved(cell.dataset.date, step[0], step[1]) + '"] a');
    // Days still to come have no link; a month hidden on a phone has no visible one.
    if (target && target.offsetParent !== null) target.focus();
    event.preventDefault();
  });
})();
