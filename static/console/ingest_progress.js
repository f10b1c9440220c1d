// The ingest run page: poll the run's progress each second; reload for the summary at the end.
(function () {
  "use strict";
  var box = document.getElementById("ingest-progress");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-progress-url");
  var rows = document.getElementById("rows-read");
  var status = document.getElementById("ingest-status");
  var template = rows.getAttribute("data-template");

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (run) {
        if (run.state !== "running") {
          status.textContent = status.getAttribute("data-done");
          window.location.reload();
          return;
        }
        rows.textContent = template.replace("{rows}", run.rows_read.toLocaleString());
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
}());
