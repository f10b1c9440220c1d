"""Call-back requests on the clinician's side: the list (each one shown audited) and answers."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from accounts.identity import current_actor
from appointments import use_cases
from appointments.response_time import business_hours
from appointments.schemas import TIME_CHOICES
from appointments.statuses import BY_CODE, OPEN, STATUS_TABLE, NotAllowed
from console import clinician_blueprint as bp
from console.access import page_for
from directory.models.verification import utcnow
from pages.languages import LOCALE_NAMES

CLINICIAN = ("clinician",)
LIMIT = 200


@bp.get("/appointments")
@page_for(*CLINICIAN)
def appointment_requests():
    """Requests to the clinicians this user acts for: open ones to call first, then the rest."""
    actor = current_actor()
    rows = use_cases.inbox(actor, LIMIT)
    return render_template(
        "console/clinician/appointments.html",
        open_rows=[r for r in rows if r.status in OPEN],
        done_rows=[r for r in rows if r.status not in OPEN],
        statuses=BY_CODE,
        actions=[s for s in STATUS_TABLE if s.action],
        times=TIME_CHOICES,
        languages=LOCALE_NAMES,
        hours=business_hours,
        texts=use_cases.texts_available(current_app.config),
        summary=use_cases.response_summary(actor, utcnow()),
    )


@bp.post("/appointments/<int:request_id>")
@page_for(*CLINICIAN)
def answer_appointment_request(request_id: int):
    """Record the office's answer; the patient is texted if they asked to be."""
    status = request.form.get("status", "")
    if status not in BY_CODE:
        abort(400)
    try:
        use_cases.answer(current_app.config, current_actor(), request_id, status, utcnow())
    except use_cases.RequestNotFound:
        abort(404)
    except NotAllowed:
        flash(_("That request was already answered that way or closed."), "error")
        return redirect(url_for("clinician.appointment_requests"), 303)
    flash(_("Saved: %(status)s.", status=_(BY_CODE[status].words)), "success")
    return redirect(url_for("clinician.appointment_requests"), 303)
