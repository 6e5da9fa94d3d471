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

  // Nothing typed is lost (1): a warning before leaving a page whose forms hold changes not saved. A form the
  // server sent back (refused, in conflict, previewed: it carries .js-unsaved) holds text that is not saved
  // either. Submitting a form is leaving on purpose.
  var postForms = Array.prototype.filter.call(document.querySelectorAll("form"), function (form) {
    return (form.getAttribute("method") || "").toLowerCase() === "post";
  });
  function changed(form) {
    if (form.querySelector(".js-unsaved")) { return true; }
    return Array.prototype.some.call(form.elements, function (el) {
      if (el.type === "hidden" || el.type === "submit" || el.type === "button" || !el.name ||
          el.classList.contains("submission-key")) { return false; }
      if (el.type === "checkbox" || el.type === "radio") { return el.checked !== el.defaultChecked; }
      if (el.tagName === "SELECT") {
        var marked = Array.prototype.some.call(el.options, function (o) { return o.defaultSelected; });
        if (!marked && !el.multiple) { return el.selectedIndex > 0; }  // none marked: the first is the default
        return Array.prototype.some.call(el.options, function (o) { return o.selected !== o.defaultSelected; });
      }
      return el.value !== el.defaultValue;
    });
  }
  var submitting = false;
  postForms.forEach(function (form) {
    form.addEventListener("submit", function (event) {
      // Added after the data-confirm handler above: a cancelled confirm() does not leave the page.
      if (!event.defaultPrevented) { submitting = true; }
    });
  });
  window.addEventListener("beforeunload", function (event) {
    if (submitting || !postForms.some(changed)) { return; }
    event.preventDefault();
    event.returnValue = "";  // older browsers need a value to ask
  });

  // Nothing typed is lost (2): long texts (every text area of a desk form) are kept in this browser, keyed by
  // the form's address (which names the claim) and the field, until a save succeeds. Should the session end
  // (the post goes to the log-in page and the text with it) or the page be left, the text is offered back
  // the next time the form is shown. A success message on the page the post led to clears what it sent.
  var PREFIX = "factcheck-draft:";
  var storage = null;
  try { storage = window.localStorage; storage.getItem(PREFIX); } catch (e) { storage = null; }
  function keyOf(area) {
    // getAttribute: form.action is shadowed by the verdict form's buttons, named "action".
    return PREFIX + new URL(area.form.getAttribute("action") || "", location.href).pathname + ":" + area.name;
  }
  function read(key) {
    try { return JSON.parse(storage.getItem(key)); } catch (e) { return null; }
  }
  if (storage) {
    var saved = document.querySelector(".message--success");
    Object.keys(storage).forEach(function (key) {
      var kept = key.indexOf(PREFIX) === 0 && read(key);
      if (kept && kept.sent && saved) { storage.removeItem(key); }
    });
    document.querySelectorAll("form textarea[name]").forEach(function (area) {
      if (!area.form || (area.form.getAttribute("method") || "").toLowerCase() !== "post") { return; }
      var key = keyOf(area);
      var kept = read(key);
      if (kept && kept.sent) {  // sent, and no success came of it: it is not saved
        kept.sent = false;
        storage.setItem(key, JSON.stringify(kept));
      }
      if (kept && kept.text && kept.text !== area.value) { offer(area, key, kept); }
      var timer = null;
      area.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(function () {
          if (area.value === area.defaultValue && !area.form.querySelector(".js-unsaved")) {
            storage.removeItem(key);
          } else {
            storage.setItem(key, JSON.stringify({ text: area.value, at: new Date().toISOString(), sent: false }));
          }
        }, 300);
      });
      area.form.addEventListener("submit", function () {
        clearTimeout(timer);  // a keep still waiting would mark the text unsent again
        if (area.value.trim()) {
          storage.setItem(key, JSON.stringify({ text: area.value, at: new Date().toISOString(), sent: true }));
        }
      });
    });
  }
  function offer(area, key, kept) {
    var box = document.createElement("div");
    box.className = "kept-draft notice";
    box.setAttribute("role", "status");
    var label = area.labels && area.labels[0] ? area.labels[0].textContent.trim() : area.name;
    var when = new Date(kept.at);
    var text = document.createElement("p");
    text.textContent = "This browser kept text you typed in “" + label + "” that was not saved" +
      (isNaN(when) ? "" : " (" + when.toLocaleString() + ")") + ".";
    var restore = document.createElement("button");
    restore.type = "button";
    restore.className = "button";
    restore.textContent = "Restore it";
    var drop = document.createElement("button");
    drop.type = "button";
    drop.className = "button button--secondary";
    drop.textContent = "Discard it";
    restore.addEventListener("click", function () {
      area.value = kept.text;
      area.dispatchEvent(new Event("input", { bubbles: true }));
      box.remove();
      area.focus();
    });
    drop.addEventListener("click", function () { storage.removeItem(key); box.remove(); area.focus(); });
    var buttons = document.createElement("p");
    buttons.className = "buttons";
    buttons.append(restore, " ", drop);
    box.append(text, buttons);
    area.insertAdjacentElement("beforebegin", box);
    var details = area.closest("details");
    if (details) { details.open = true; }
  }

  // Open the panel that holds a form error, and bring the first error into view.
  var error = document.querySelector(".errorlist, .conflict");
  if (error) {
    var details = error.closest("details");
    if (details) { details.open = true; }
    error.scrollIntoView({ block: "center" });
  }
})();
