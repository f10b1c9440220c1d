"""The patient's shortlist at /my-list: save from a result or profile, print, email or text it.

The list is up to five NPIs in the session (sharing.shortlist); the page reads each listing
fresh, so phones, plans and fact ages are today's. Sending goes through the outbox to an
address the visitor types for that one message; it is rate limited per address.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from marshmallow import EXCLUDE, ValidationError

from accounts.identity import current_actor
from directory.extensions import db
from directory.models.verification import utcnow
from directory.queries import clinician_query
from edge.extensions import limiter
from pages.languages import current_locale_code
from sharing import shortlist
from sharing.message import Entry, TooLongForText
from sharing.send import SendSchema, offered_channels, send_shortlist
from web.profile_view import ProfileView, profile

shortlist_blueprint = Blueprint("shortlist", __name__)
PRIVATE_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "same-origin"}
KEY = "shortlist"


def saved() -> list[str]:
    """The NPIs on the visitor's list."""
    return shortlist.clean(session.get(KEY))


@shortlist_blueprint.app_context_processor
def _saved_context() -> dict:
    return {"shortlist_npis": saved}


def _views() -> list[ProfileView]:
    """Today's listing for each saved NPI still in the directory, in the order saved."""
    now, stale = utcnow(), current_app.config["STALE_AFTER_DAYS"]
    views = []
    for npi in saved():
        found = db.session.scalars(clinician_query(npi)).one_or_none()
        if found is not None:
            views.append(profile(found, now, stale))
    return views


def entry(view: ProfileView) -> Entry:
    """What a message says of one clinician: the first place's phone and address."""
    place = view.places[0] if view.places else None
    return Entry(
        name=view.name,
        credentials=view.credentials,
        phone=place.phone if place else None,
        address=place.address if place else None,
    )


def _page(status: int = 200, error: str | None = None, form: dict | None = None):
    body = render_template(
        "patients/my_list.html",
        views=_views(),
        most=shortlist.MAX_ENTRIES,
        channels=offered_channels(current_app.config),
        error=error,
        form=form or {},
    )
    return body, status, PRIVATE_HEADERS


def _back() -> str:
    """The same-site page the form came from, else the list."""
    back = request.form.get("back", "")
    if back.startswith("/") and not back.startswith("//") and "\\" not in back:
        return back
    return url_for("shortlist.my_list")


@shortlist_blueprint.get("/my-list")
def my_list():
    """The saved clinicians, ready to print, email or text."""
    return _page()


@shortlist_blueprint.post("/my-list/save")
def save():
    """Add a clinician (by NPI) to the list and go back where the visitor was."""
    npi = request.form.get("npi", "")
    if db.session.scalars(clinician_query(npi)).one_or_none() is None:
        flash(_("We could not find that clinician to save."), "error")
        return redirect(_back(), 303)
    try:
        session[KEY] = shortlist.add(saved(), npi)
    except shortlist.ShortlistFull:
        flash(
            _("Your list already has %(most)d clinicians. Remove one to save another.",
              most=shortlist.MAX_ENTRIES),
            "error",
        )  # fmt: skip
        return redirect(_back(), 303)
    flash(_("Saved to your list."), "ok")
    return redirect(_back(), 303)


@shortlist_blueprint.post("/my-list/remove")
def remove():
    """Take a clinician off the list."""
    session[KEY] = shortlist.remove(saved(), request.form.get("npi", ""))
    flash(_("Removed from your list."), "ok")
    return redirect(_back(), 303)


def _send_limit() -> str:
    return current_app.config["SHORTLIST_SEND_RATE_LIMIT"]


@shortlist_blueprint.post("/my-list/send")
@limiter.limit(_send_limit, key_func=get_remote_address, scope="shortlist-send", methods=["POST"])
def send():
    """Email or text the list to what the visitor typed, in the page's language."""
    typed = {"channel": request.form.get("channel", ""), "destination": ""}
    try:
        wanted = SendSchema().load(request.form, unknown=EXCLUDE)
    except ValidationError:
        error = _("Type an email address or a US mobile number, then choose how to send.")
        return _page(400, error, typed)
    if wanted.channel not in offered_channels(current_app.config):
        return _page(400, _("That way of sending is not available here."), typed)
    entries = [entry(v) for v in _views()]
    if not entries:
        return _page(400, _("Your list is empty: save a clinician first."), typed)
    try:
        send_shortlist(current_app.config, current_actor(), wanted, entries, current_locale_code())
    except TooLongForText:
        return _page(400, _("The list is too long for one text. Send it by email instead."), typed)
    flash(_("Your list is on its way. We use what you typed only to send this one message."), "ok")
    return redirect(url_for("shortlist.my_list"), 303)
