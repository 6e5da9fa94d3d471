// "Copy link" on a fact-check page: without JavaScript (or a clipboard) it is a plain link to the page.
document.addEventListener("click", function (event) {
  var link = event.target.closest("[data-copy-link]");
  if (!link || !navigator.clipboard) return;
  event.preventDefault();
  var status = link.parentNode.querySelector(".share__status");
  navigator.clipboard.writeText(link.href).then(function () {
    status.textContent = "Link copied";
  }, function () {
    status.textContent = "Could not copy: the link is this page’s address";
  });
});
