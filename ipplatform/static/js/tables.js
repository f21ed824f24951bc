// core.tables: select all rows of a page, "export selected" only with a selection, and the column chooser
// (hidden columns remembered per table in localStorage). Tables work without this script.
(function () {
  "use strict";
  function init(tools) {
    var name = tools.getAttribute("data-table");
    var form = document.getElementById(name + "-export");
    var boxes = function () { return document.querySelectorAll('input[name="ids"][form="' + name + '-export"]'); };
    var table = boxes().length ? boxes()[0].closest("table") : document.querySelector("table[data-table='" + name + "']");
    var all = table ? table.querySelector("[data-select-all]") : null;
    var exportSelected = form ? form.querySelector("[data-export-selected]") : null;
    function refresh() {
      var n = Array.prototype.filter.call(boxes(), function (b) { return b.checked; }).length;
      if (exportSelected) {
        exportSelected.disabled = n === 0;
        exportSelected.textContent = n ? "导出所选" + n + "条（Excel）" : "导出所选（Excel）";
      }
    }
    if (all) all.addEventListener("change", function () {
      boxes().forEach(function (b) { b.checked = all.checked; });
      refresh();
    });
    boxes().forEach(function (b) { b.addEventListener("change", refresh); });
    refresh();
    if (!table) return;
    var key = "columns:" + name;
    var hidden = {};
    try { hidden = JSON.parse(localStorage.getItem(key) || "{}"); } catch (e) { hidden = {}; }
    function apply(col, show) {
      var ths = table.querySelectorAll("thead th");
      var index = -1;
      ths.forEach(function (th, i) { if (th.getAttribute("data-col") === col) index = i; });
      if (index < 0) return;
      table.querySelectorAll("tr").forEach(function (tr) {
        var cell = tr.children[index];
        if (cell && !cell.hasAttribute("colspan")) cell.classList.toggle("col-hidden", !show);
      });
    }
    tools.querySelectorAll("[data-column]").forEach(function (box) {
      var col = box.getAttribute("data-column");
      if (hidden[col]) { box.checked = false; apply(col, false); }
      box.addEventListener("change", function () {
        if (box.checked) delete hidden[col]; else hidden[col] = 1;
        try { localStorage.setItem(key, JSON.stringify(hidden)); } catch (e) { /* private mode */ }
        apply(col, box.checked);
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-table]").forEach(function (el) { if (el.classList.contains("table-tools")) init(el); });
  });
})();
