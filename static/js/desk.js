/* Small improvements for the desk. Every page works without this file. */
(function () {
  "use strict";

  // A create form's one-time key (idempotency/keys.py). The browser keeps a field's value across Back only
  // when it differs from the page's own, so give this copy of the form a key of its own: Back, even when
  // it fetches the page afresh, then restores the key that was sent, and saving again shows the first save.
  document.querySelectorAll("input.submission-key").forEach(function (input) {
    if (input.value !== input.defaultValue || !window.crypto) {
      return;  // restored by the browser: keep it
    }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    input.value = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  });

  // A live length hint for the claim text: search engines show about data-soft-limit characters.
  document.querySelectorAll("input[data-soft-limit]").forEach(function (input) {
    var soft = parseInt(input.dataset.softLimit, 10);
    var hard = parseInt(input.getAttribute("maxlength"), 10) || null;
    var hint = document.createElement("span");
    hint.className = "length-hint";
    hint.id = input.id + "_length";
    input.insertAdjacentElement("afterend", hint);
    var described = input.getAttribute("aria-describedby");
    input.setAttribute("aria-describedby", (described ? described + " " : "") + hint.id);
    function update() {
      var n = input.value.length;
      var text, cls = "length-hint";
      if (n <= soft) {
        text = n + " of " + soft + " characters";
      } else if (hard && n >= hard) {
        text = n + " characters: that is the limit of " + hard + ".";
        cls += " length-hint--over";
      } else {
        text = n + " characters: " + (n - soft) + " past the " + soft + " search engines show. Consider a shorter wording.";
        cls += " length-hint--warn";
      }
      hint.className = cls;
      hint.textContent = text;
    }
    input.addEventListener("input", update);
    update();
  });

  // Ask before destructive submits (removing evidence, revoking a token).
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
    });
  });

  // Closing a claim: the "duplicate of" number only matters for duplicates.
  var reason = document.getElementById("close-reason");
  var original = document.getElementById("close-duplicate_of");
  if (reason && original) {
    var field = original.closest(".field");
    var toggle = function () { field.hidden = reason.value !== "duplicate" && !original.value; };
    reason.addEventListener("change", toggle);
    toggle();
  }

  // Open the panel that holds a form error, and bring the first error into view.
  var error = document.querySelector(".errorlist, .conflict");
  if (error) {
    var details = error.closest("details");
    if (details) { details.open = true; }
    error.scrollIntoView({ block: "center" });
  }
})();
