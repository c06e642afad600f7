// The new-assessment form: the time the ticked models take, recounted as boxes are ticked.
// Each checkbox carries its model's question keys (a crosswalk group counts once), so the
// union is counted exactly; the server renders the same number for the boxes it sent ticked.
(function () {
  "use strict";
  var models = document.getElementById("models");
  var total = document.querySelector("#estimate .estimate-total");
  if (!models || !total) return;
  var seconds = parseFloat(models.dataset.seconds);

  function plural(kind, n) {
    var one = kind === "minutes" ? models.dataset.one : models.dataset.questionsOne;
    var other = kind === "minutes" ? models.dataset.other : models.dataset.questionsOther;
    return (n === 1 ? one : other).replace("{n}", String(n));
  }

  function update() {
    var keys = new Set();
    models.querySelectorAll("input[type=checkbox]:checked").forEach(function (box) {
      (box.dataset.keys || "").split(" ").forEach(function (key) {
        if (key) keys.add(key);
      });
    });
    if (keys.size === 0) {
      total.textContent = total.dataset.empty;
      return;
    }
    // Whole minutes, half up, at least one: planner/engine/estimate.py minutes()
    var minutes = Math.max(1, Math.floor((keys.size * seconds) / 60 + 0.5));
    total.textContent = plural("questions", keys.size) + " · " + plural("minutes", minutes);
  }

  models.addEventListener("change", update);
  update();
})();
