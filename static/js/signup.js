// Sign-up: take the person's time zone from the browser, so "today" is their today.
(function () {
  var field = document.querySelector("input[name=time_zone]");
  if (field && !field.value && window.Intl) {
    field.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  }
})();
