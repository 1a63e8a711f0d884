// /share/: the copy button of a new link, and the date boxes shown only for "Dates I choose"
// (without JavaScript they are always shown, and the server ignores them for rolling periods).
(function () {
  document.querySelectorAll("[data-kj-copy]").forEach(function (button) {
    var input = document.getElementById(button.dataset.kjCopy);
    var status = document.getElementById(input.getAttribute("aria-describedby"));
    button.addEventListener("click", function () {
      function copied() { status.textContent = "Copied. Paste it into a message to your therapist."; }
      function select() {
        input.focus();
        input.select();
        status.textContent = "Selected: copy it with your device's copy command.";
      }
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(copied, select);
      } else {
        select();
      }
    });
  });

  var form = document.querySelector(".kj-share-form");
  if (!form) return;
  var dates = form.querySelector("[data-kj-fixed-dates]");
  function showDates() {
    var chosen = form.querySelector('input[name="period"]:checked');
    dates.hidden = !chosen || chosen.value !== "fixed";
  }
  form.addEventListener("change", function (event) {
    if (event.target.name === "period") showDates();
  });
  showDates();
})();
