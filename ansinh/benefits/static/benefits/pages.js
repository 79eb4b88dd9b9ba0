// The entitlement form: show only the parameters the chosen category takes (injury rate, number
// of martyrs, children raised, years of seniority…). Without this script every field is shown and
// the server refuses a value the category does not take.
(function () {
  "use strict";
  var form = document.querySelector("form[data-category-parameters]");
  if (!form) { return; }
  var spec = form.getAttribute("data-category-parameters");
  var select = form.querySelector("select[name=category]");
  if (!spec || !select) { return; }
  // The fields that only some categories take; the others (decision, start month…) always show.
  var optional = {rate: true, martyr_count: true, martyrs: true, children: true, years: true, especially_severe: true};
  var uses = {};
  spec.split(";").forEach(function (part) {
    var pair = part.split(":");
    uses[pair[0]] = (pair[1] || "").split(",").filter(Boolean);
  });
  function update() {
    var wanted = uses[select.value] || [];
    form.querySelectorAll(".benefit-param").forEach(function (box) {
      var name = box.getAttribute("data-param");
      if (!optional[name]) { return; }
      var error = box.querySelector(".error");
      box.hidden = wanted.indexOf(name) < 0 && !error;
    });
  }
  select.addEventListener("change", update);
  update();
})();
