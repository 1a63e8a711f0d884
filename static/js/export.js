// The /export/ form: picking a preset period shows its dates in the date boxes, and typing a
// date picks "Dates I choose". The server applies presets itself, so this is only a preview.
(function () {
  var form = document.querySelector(".kj-export-form");
  if (!form) return;
  var presets = JSON.parse(document.getElementById(form.dataset.presetsId).textContent);
  var start = form.elements.start;
  var end = form.elements.end;

  form.addEventListener("change", function (event) {
    var target = event.target;
    if (target.name === "period" && presets[target.value]) {
      start.value = presets[target.value][0];
      end.value = presets[target.value][1];
    } else if (target === start || target === end) {
      form.querySelector('input[name="period"][value="dates"]').checked = true;
    }
  });
})();
