// The index's filter panel is a <details>: folded on a phone, opened here on wider screens where it fits.
// Without JavaScript it is folded everywhere, and opens with a click.
document.querySelectorAll("details[data-open-wide]").forEach(function (details) {
  if (window.matchMedia("(min-width: 40rem)").matches) details.open = true;
});
