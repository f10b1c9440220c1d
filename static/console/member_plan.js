// The call console: the member id picks the plan. Each plan option carries its member-id format
// (directory/member_ids.py: the same formats and the same normalizing the server applies on
// submit). The id is only read here: this script sends it nowhere.
(function () {
  "use strict";
  var input = document.getElementById("c-patient_member_id");
  var select = document.getElementById("c-plan");
  var status = document.getElementById("member-plan-status");
  if (!input || !select || !status) { return; }
  var plans = [];
  var picking = false;  // the change this script makes is not the agent's choice
  Array.prototype.forEach.call(select.options, function (option) {
    var format = option.getAttribute("data-member-id-format");
    if (!format) { return; }
    try {
      plans.push({ option: option, format: new RegExp(format) });
    } catch (error) {
      // A format set around `flask plans` (which checks them) is skipped, not fatal.
    }
  });

  function normalized(text) {
    return text.replace(/\s+/g, "").toUpperCase().slice(0, 40);
  }

  function names(found) {
    return found.map(function (plan) { return plan.option.textContent.trim(); }).join(", ");
  }

  function say(key, found, wrong) {
    status.textContent = key ? status.getAttribute("data-" + key) + (found ? " " + names(found) : "") : "";
    status.classList.toggle("field-error", wrong);
    if (wrong) { input.setAttribute("aria-invalid", "true"); } else { input.removeAttribute("aria-invalid"); }
  }

  // Typing the id chooses the one plan it fits (as the server does for a blank plan); a plan
  // chosen by hand afterwards stands, and a disagreement is only said (the server refuses to
  // send a referral then).
  function typed() {
    var id = normalized(input.value);
    if (!id) { say(null, null, false); return; }
    var found = plans.filter(function (plan) { return plan.format.test(id); });
    if (found.length === 1) {
      if (select.value !== found[0].option.value) {
        select.value = found[0].option.value;
        // The results follow the plan, as when the agent changes it.
        picking = true;
        select.dispatchEvent(new Event("change", { bubbles: true }));
        picking = false;
      }
      say("picked", found, false);
    } else {
      say(found.length ? "several" : "none", found.length ? found : null, false);
    }
  }

  function chosen() {
    var id = normalized(input.value);
    var plan = plans.filter(function (p) { return p.option.value === select.value; })[0];
    if (id && plan && !plan.format.test(id)) { say("disagree", [plan], true); } else { say(null, null, false); }
  }

  input.addEventListener("input", typed);
  select.addEventListener("change", function () { if (!picking) { chosen(); } });
}());
