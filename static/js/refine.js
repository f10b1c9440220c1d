/* The refine bar is a folded sheet on small screens; on wide ones it starts open. Without
   this script it is simply folded everywhere (one click opens it). */
(function () {
  "use strict";
  var sheet = document.getElementById("refine");
  if (sheet && window.matchMedia && window.matchMedia("(min-width: 64rem)").matches) {
    sheet.open = true;
  }
})();
