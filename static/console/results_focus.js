// After a PCP search the results come first: focus moves to the results heading and the count
// is said once in the polite live region (filled after load so screen readers notice the change).
// The page loads this only after a search that ran; a search with field errors has no results.
(function () {
  "use strict";
  var heading = document.getElementById("results-heading");
  var region = document.getElementById("results-announcement");
  if (!heading || !region) { return; }
  heading.focus();
  window.setTimeout(function () {
    region.textContent = region.getAttribute("data-said");
  }, 100);
})();
