// The call console: results follow the needs as they change (POST with the CSRF header),
// Alt+Shift+1..4 jump between sections (plain Alt+digit switches tabs in Firefox and Chrome on
// Linux, Ctrl/Cmd+digit everywhere), Enter on a result goes to the referral form.
(function () {
  "use strict";
  var form = document.getElementById("call-form");
  if (!form || !window.fetch || !window.FormData) { return; }
  var needs = document.getElementById("needs-section");
  var refer = document.getElementById("refer-section");
  var outcome = document.getElementById("outcome-fieldset");
  var region = document.getElementById("results-region");
  var csrf = document.querySelector('meta[name="csrf-token"]').getAttribute("content");
  var url = form.getAttribute("data-matches-url");
  var timer = null;
  var sequence = 0;

  function needsData() {
    // Only the needs go to the matches endpoint, never the patient's details (the member id
    // sits beside the needs, marked data-private).
    var data = new FormData();
    needs.querySelectorAll("input, select, textarea").forEach(function (el) {
      if (!el.name || el.disabled || el.hasAttribute("data-private")) { return; }
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) { return; }
      data.append(el.name, el.value);
    });
    var chosen = form.querySelector('input[name="choice"]:checked');
    if (chosen) { data.append("choice", chosen.value); }
    return data;
  }

  function say(text) {
    var status = region.querySelector(".results-status");
    if (status) { status.textContent = text; }
  }

  function refresh() {
    var mine = ++sequence;
    form.setAttribute("aria-busy", "true");
    fetch(url, {
      method: "POST",
      body: needsData(),
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, "Accept": "text/html" }
    }).then(function (response) {
      return response.text();
    }).then(function (html) {
      if (mine !== sequence) { return; }  // a newer search has already answered
      var holder = document.createElement("div");
      holder.innerHTML = html;
      var fresh = holder.querySelector("#results-region");
      if (!fresh) {
        say(form.getAttribute("data-session-ended"));
        return;
      }
      region.replaceWith(fresh);
      region = fresh;
      chosenChanged();
    }).catch(function () {
      say(form.getAttribute("data-update-failed"));
    }).then(function () {
      if (mine === sequence) { form.removeAttribute("aria-busy"); }
    });
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 300);
  }

  function field(name) {
    return refer.querySelector('[name="' + name + '"]');
  }

  function chosenChanged() {
    var chosen = form.querySelector('input[name="choice"]:checked');
    var line = document.getElementById("chosen-clinician");
    if (!chosen) { return; }
    var name = chosen.getAttribute("data-name");
    var phone = chosen.getAttribute("data-phone");
    line.textContent = line.getAttribute("data-prefix") + " " + name +
      (phone ? " · " + phone : "");
    // The consent must name the receiving clinician; follow the choice unless typed over.
    var recipient = field("consent_recipient_name");
    var npi = field("consent_recipient_npi");
    if (recipient && (!recipient.value || recipient.getAttribute("data-auto") === "1")) {
      recipient.value = name.split(",")[0];
      recipient.setAttribute("data-auto", "1");
    }
    if (npi && (!npi.value || npi.getAttribute("data-auto") === "1")) {
      npi.value = chosen.value.split(":")[0];
      npi.setAttribute("data-auto", "1");
    }
  }

  function focusSection(code) {
    var target = null;
    if (code === "Digit1") { target = needs.querySelector("input, select"); }
    if (code === "Digit2") {
      target = form.querySelector('input[name="choice"]:checked') ||
        form.querySelector('input[name="choice"]') || document.getElementById("results-heading");
    }
    if (code === "Digit3") { target = field("patient_name"); }
    if (code === "Digit4") { target = document.getElementById("queue-heading"); }
    if (target) { target.focus(); }
  }

  function needsChanged(event) {
    // The member id changes no need; the plan it picks does (member_plan.js).
    if (!event.target.hasAttribute("data-private")) { schedule(); }
  }

  needs.addEventListener("input", needsChanged);
  needs.addEventListener("change", needsChanged);
  form.addEventListener("change", function (event) {
    if (event.target.name === "choice") { chosenChanged(); }
    if (event.target.name === "consent_recipient_name" || event.target.name === "consent_recipient_npi") {
      event.target.removeAttribute("data-auto");
    }
  });

  document.addEventListener("keydown", function (event) {
    var chord = event.altKey && event.shiftKey && !event.ctrlKey && !event.metaKey;
    if (chord && /^Digit[1-4]$/.test(event.code)) {
      event.preventDefault();
      focusSection(event.code);
    }
  });

  form.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.altKey || event.ctrlKey || event.shiftKey) { return; }
    var target = event.target;
    if (target.tagName === "TEXTAREA" || target.tagName === "BUTTON") { return; }
    event.preventDefault();
    if (target.name === "choice") {
      target.checked = true;
      chosenChanged();
      field("patient_name").focus();
    } else if (needs.contains(target)) {
      window.clearTimeout(timer);
      refresh();
    } else if (outcome.contains(target)) {
      document.getElementById("outcome-button").click();
    } else if (refer.contains(target)) {
      document.getElementById("refer-button").click();
    }
  });

  chosenChanged();
}());
