// Select words of the text to capture them: the selection's offsets are counted in code points, as the
// server counts them (a JavaScript string counts UTF-16 units, so an emoji would shift every later offset).
(function () {
  "use strict";
  var text = document.getElementById("intake-text");
  var form = document.getElementById("intake-selection");
  if (!text || !form) return;

  function offset(node, within) {
    var piece = (node.nodeType === 1 ? node : node.parentElement).closest("[data-start]");
    if (!piece || !text.contains(piece)) return null;
    var before = node.nodeType === 3 ? node.data.slice(0, within) : "";
    return parseInt(piece.dataset.start, 10) + Array.from(before).length;
  }

  document.addEventListener("selectionchange", function () {
    var selection = document.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) { form.hidden = true; return; }
    var range = selection.getRangeAt(0);
    if (!text.contains(range.startContainer) || !text.contains(range.endContainer)) { form.hidden = true; return; }
    var start = offset(range.startContainer, range.startOffset);
    var end = offset(range.endContainer, range.endOffset);
    if (start === null || end === null || end <= start) { form.hidden = true; return; }
    form.elements.start.value = start;
    form.elements.end.value = end;
    document.getElementById("intake-selection-text").textContent = "“" + selection.toString().trim().slice(0, 120) + "”";
    form.hidden = false;
  });
})();
