/* The board's bulk form: say how many claims are ticked, offer "select all" per column, and show only the
   fields the chosen action needs. The board works without this file. */
(function () {
  "use strict";
  // On a phone the filters fold away unless some are in use (the page serves them open, for no-JS browsers).
  var filters = document.getElementById("board-filters");
  if (filters && !filters.hasAttribute("data-active") && window.matchMedia("(max-width: 40rem)").matches) {
    filters.open = false;
  }
  var form = document.getElementById("bulk-form");
  if (!form) { return; }
  var boxes = function () { return document.querySelectorAll("input[name='claim'][form='bulk-form']"); };
  var count = document.getElementById("bulk-count");

  function update() {
    var n = Array.prototype.filter.call(boxes(), function (box) { return box.checked; }).length;
    count.textContent = n ? n + " claim" + (n === 1 ? "" : "s") + " selected." :
      "Tick claims below, then choose what to do with them.";
  }
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("input[name='claim']")) { update(); }
  });

  document.querySelectorAll(".board-column").forEach(function (column) {
    var inColumn = column.querySelectorAll("input[name='claim']");
    if (!inColumn.length) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "link-button board-column__all";
    var title = column.dataset.title;
    button.textContent = "Select all in " + title;
    button.addEventListener("click", function () {
      var all = Array.prototype.every.call(inColumn, function (box) { return box.checked; });
      inColumn.forEach(function (box) { box.checked = !all; });
      button.textContent = (all ? "Select all in " : "Clear the selection in ") + title;
      update();
    });
    column.querySelector("h2").insertAdjacentElement("afterend", button);
  });

  var action = document.getElementById("bulk-action");
  var assignee = document.getElementById("bulk-assignee");
  var original = document.getElementById("bulk-duplicate_of");
  function toggle() {
    assignee.closest(".field").hidden = action.value !== "assign";
    original.closest(".field").hidden = action.value !== "duplicate";
  }
  if (action && assignee && original) {
    action.addEventListener("change", toggle);
    toggle();
  }

  form.addEventListener("submit", function (event) {
    var n = Array.prototype.filter.call(boxes(), function (box) { return box.checked; }).length;
    if (!n) {
      event.preventDefault();
      count.textContent = "Select at least one claim first.";
      count.setAttribute("tabindex", "-1");
      count.focus();
    }
  });
  update();
})();
