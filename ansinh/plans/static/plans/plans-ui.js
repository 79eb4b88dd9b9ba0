// The targets grid (plans/targets_form.html): the sum of the units below and the difference
// from the plan unit's target, recomputed as one types. The server computes the same on every
// save; without JavaScript the page still works.
(function () {
  "use strict";

  // Vietnamese or plain figures, as services.parse_value reads them: "7.645", "21,3", "13.747,5".
  function parse(text) {
    var raw = (text || "").replace(/[\s\u00a0]/g, "");
    if (!raw) return null;
    if (raw.indexOf(",") >= 0) {
      raw = raw.replace(/\./g, "").replace(",", ".");
    } else {
      var parts = raw.split(".");
      if (parts.length > 2 || (parts.length === 2 && parts[1].length === 3 && parts[0] !== "0")) {
        raw = raw.replace(/\./g, "");
      }
    }
    if (!/^-?\d*\.?\d+$/.test(raw)) return NaN;
    return Number(raw);
  }

  function format(value, decimal, thousands) {
    var negative = value < 0;
    var text = Math.abs(value).toFixed(4).replace(/0+$/, "").replace(/\.$/, "");
    var pieces = text.split(".");
    var whole = pieces[0].replace(/\B(?=(\d{3})+(?!\d))/g, thousands);
    var out = pieces.length > 1 ? whole + decimal + pieces[1] : whole;
    return (negative ? "\u2212" : "") + out;
  }

  function update(grid) {
    var decimal = grid.dataset.decimal || ",";
    var thousands = grid.dataset.thousands || ".";
    grid.querySelectorAll("td[data-diff]").forEach(function (cell) {
      var column = cell.dataset.diff;
      var sumCell = grid.querySelector('td[data-sum="' + column + '"]');
      if (cell.dataset.summable !== "1") return;
      var totalInput = grid.querySelector('input[data-col="' + column + '"][data-role="total"]');
      var total = totalInput ? parse(totalInput.value) : null;
      var sum = 0, parts = 0, broken = false;
      grid.querySelectorAll('input[data-col="' + column + '"][data-role="part"]').forEach(function (input) {
        var value = parse(input.value);
        if (value === null) return;
        if (isNaN(value)) { broken = true; return; }
        sum += value;
        parts += 1;
      });
      if (sumCell) sumCell.textContent = parts ? format(sum, decimal, thousands) : "\u2014";
      cell.classList.remove("plans-ok", "plans-bad");
      if (broken || total === null || isNaN(total) || !parts) {
        cell.textContent = "\u2014";
        return;
      }
      var difference = Math.round((total - sum) * 10000) / 10000;
      cell.textContent = difference > 0 ? "+" + format(difference, decimal, thousands) : format(difference, decimal, thousands);
      cell.classList.add(difference === 0 ? "plans-ok" : "plans-bad");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var grid = document.querySelector("table.plans-grid");
    if (!grid) return;
    grid.addEventListener("input", function () { update(grid); });
  });
})();
