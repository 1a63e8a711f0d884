// A second click on a submit button while its form is on the way does nothing, so a double
// click never sends a form twice. (The server also ignores repeats: see KindnessAct.submission_key.)
document.addEventListener("submit", function (event) {
  var form = event.target;
  // Repeating a GET form is harmless, and a download (the export form) never leaves the page.
  if (form.method === "get") return;
  if (form.dataset.submitting) {
    event.preventDefault();
    return;
  }
  form.dataset.submitting = "true";
  // Re-enable if the page comes back from the browser's back/forward cache.
  window.addEventListener("pageshow", function () { delete form.dataset.submitting; }, { once: true });
});
