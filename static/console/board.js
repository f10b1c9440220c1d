// The print button shows only when script runs; the browser's own Print works without it.
(function () {
  var button = document.getElementById("print-board");
  if (!button) return;
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
})();
