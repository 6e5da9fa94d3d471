/* Type-ahead for claimants and sources from the whole register (board/views.py: /desk/typeahead/…/?q=).
   Native <datalist> suggestions, so the browser supplies the keyboard handling and the announcements.
   - <input data-typeahead="claimants"> (the board's claimant filter): suggests names; the form sends the name.
   - The claim forms' claimant and source menus (<select name="claimant|source">) list recent ones only; a
     "Find … in the register" box is added before each, and a name picked there is chosen in the menu.
   Without JavaScript nothing is added and every form works as before. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.fetch) { return; }
  var urls = { claimants: script.dataset.claimants, sources: script.dataset.sources };
  var counter = 0;

  function attach(input, kind, onPick) {
    var list = document.createElement("datalist");
    list.id = "typeahead-" + kind + "-" + (++counter);
    input.insertAdjacentElement("afterend", list);
    input.setAttribute("list", list.id);
    input.setAttribute("autocomplete", "off");
    var byValue = {}, timer = null, controller = null, asked = "";

    function fill(results) {
      var seen = {};
      results.forEach(function (r) { seen[r.name] = (seen[r.name] || 0) + 1; });
      list.textContent = "";
      byValue = {};
      results.forEach(function (r) {
        var value = seen[r.name] > 1 ? r.name + " (no. " + r.id + ")" : r.name;
        var option = document.createElement("option");
        option.value = value;
        if (r.label) { option.label = r.label; }
        list.appendChild(option);
        byValue[value] = r;
      });
    }

    function ask() {
      var q = input.value.trim();
      if (byValue[input.value]) { return; }  // a suggestion was just picked
      if (!q || q === asked) { return; }
      asked = q;
      if (controller) { controller.abort(); }
      controller = window.AbortController ? new AbortController() : null;
      fetch(urls[kind] + "?q=" + encodeURIComponent(q.slice(0, 100)),
            { credentials: "same-origin", headers: { Accept: "application/json" },
              signal: controller ? controller.signal : undefined })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { if (input.value.trim() === q) { fill(data.results || []); } })
        .catch(function () { /* aborted or offline: the form still works without suggestions */ });
    }

    input.addEventListener("input", function () {
      var picked = byValue[input.value];
      if (picked && onPick) { onPick(picked); return; }
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, 120);
    });
  }

  document.querySelectorAll("input[data-typeahead]").forEach(function (input) {
    if (urls[input.dataset.typeahead]) { attach(input, input.dataset.typeahead); }
  });

  [["claimant", "claimants", "Find a claimant in the register"],
   ["source", "sources", "Find a source in the register"]].forEach(function (spec) {
    document.querySelectorAll("form.desk-form select[name='" + spec[0] + "']").forEach(function (select) {
      if (!urls[spec[1]]) { return; }
      var field = document.createElement("div");
      field.className = "field typeahead";
      var label = document.createElement("label");
      var input = document.createElement("input");
      var status = document.createElement("span");
      input.type = "search";
      input.id = select.id + "-find";
      input.placeholder = "Type the start of a name";
      label.htmlFor = input.id;
      label.textContent = spec[2];
      status.className = "helptext";
      status.id = input.id + "-status";
      status.setAttribute("aria-live", "polite");
      input.setAttribute("aria-describedby", status.id);
      field.appendChild(label);
      field.appendChild(input);
      field.appendChild(status);
      var holder = select.closest(".field") || select;
      holder.insertAdjacentElement("beforebegin", field);
      attach(input, spec[1], function (picked) {
        var value = String(picked.id);
        var option = Array.prototype.find.call(select.options, function (o) { return o.value === value; });
        if (!option) {
          option = new Option(picked.name, value);
          select.add(option);
        }
        select.value = value;
        select.dispatchEvent(new Event("change", { bubbles: true }));
        status.textContent = "Chosen in the menu below: " + picked.name + (picked.label ? " (" + picked.label + ")" : "") + ".";
      });
    });
  });
})();
