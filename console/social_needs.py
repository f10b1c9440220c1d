"""The social-needs screen on staff pages: the PCP's own page and the call console's section.

Answers are checked item by item here (each error names its question), then kept and audited
by the screening use case, attached to a referral when its number is given. The ZIP code only
places the program search; it is not stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from accounts.identity import current_actor
from console.access import page_for
from console.referral_actions import refusal
from directory.geography import zip_centroid
from directory.models.verification import utcnow
from pages.languages import current_locale_code
from pages.social_needs import INSTRUMENT, SAFETY, answer_errors, questions, social_instrument
from programs.by_need import NEAR_MILES, NeedPrograms, programs_for_needs
from programs.vocabulary import need_labels
from referrals import use_cases
from referrals.errors import NotFound, ReferralError
from screening.form import read_answers

REFERRAL_FIELD = "referral_id"
ZIP_FIELD = "postal_code"


@dataclass
class SocialScreen:
    """One screen on a staff page: what was posted, its errors, and the kept result."""

    given: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)
    recorded: use_cases.Recorded | None = None
    groups: list[NeedPrograms] = field(default_factory=list)

    @property
    def safety(self) -> bool:
        """True when the interpersonal-safety screen is positive (its resources come first)."""
        return self.recorded is not None and "safety" in self.recorded.scored.needs


def _referral_id(form: MultiDict, errors: dict) -> int | None:
    text = (form.get(REFERRAL_FIELD) or "").strip().lstrip("#")
    if text and not (text.isdigit() and 0 < int(text) < 2**31):
        errors[REFERRAL_FIELD] = _("No referral with that number that you may see.")
        return None
    return int(text) if text else None


def _checked(form: MultiDict) -> tuple[SocialScreen, list[int], int | None, str]:
    found = read_answers(social_instrument(), form)
    screen = SocialScreen(given=dict(found.given), errors=answer_errors(found))
    postal_code = (form.get(ZIP_FIELD) or "").strip()[:10]
    if postal_code and zip_centroid(postal_code) is None:
        screen.errors[ZIP_FIELD] = _("Unknown ZIP code.")
    referral_id = _referral_id(form, screen.errors)
    screen.given.update({ZIP_FIELD: postal_code, REFERRAL_FIELD: form.get(REFERRAL_FIELD, "")})
    return screen, list(found.answers), referral_id, postal_code


def screen_from_form(actor, form: MultiDict) -> SocialScreen:
    """Check, score, keep (audited) and find programs for the posted screen."""
    screen, answers, referral_id, postal_code = _checked(form)
    if screen.errors:
        return screen
    body: dict = {"instrument": INSTRUMENT, "answers": answers}
    if referral_id is not None:
        body[REFERRAL_FIELD] = referral_id
    now = utcnow()
    try:
        screen.recorded = use_cases.record_screening(actor, body, now)
    except NotFound:
        screen.errors[REFERRAL_FIELD] = _("No referral with that number that you may see.")
        return screen
    except ReferralError as err:
        screen.errors["_screen"] = refusal(err).message
        return screen
    if postal_code:
        screen.groups = programs_for_needs(screen.recorded.scored.needs, postal_code, now)
    return screen


def social_context(screen: SocialScreen) -> dict:
    """What the social-needs templates show."""
    return {
        "social": screen,
        "social_questions": questions(),
        "need_labels": need_labels(current_locale_code()),
        "safety": SAFETY,
        "near_miles": NEAR_MILES,
    }


def _page(screen: SocialScreen, status: int = 200):
    return render_template("console/social_needs.html", **social_context(screen)), status


def social_form(referral_id: int | None = None):
    """The ten questions, with the referral filled in when the page is opened from one."""
    given = {REFERRAL_FIELD: str(referral_id)} if referral_id is not None else {}
    return _page(SocialScreen(given=given))


def social_results():
    """The kept result: safety resources first, the needs, then programs near the patient."""
    screen = screen_from_form(current_actor(), request.form)
    return _page(screen, 400 if screen.errors else 200)


def add_social_routes(blueprint: Blueprint, *roles: str) -> None:
    """Mount the social-needs page under `blueprint` for `roles` (and admins)."""
    guard = page_for(*roles)
    blueprint.add_url_rule("/social-needs", "social_needs", guard(social_form), methods=["GET"])
    blueprint.add_url_rule(
        "/referrals/<int:referral_id>/social-needs",
        "referral_social_needs",
        guard(social_form),
        methods=["GET"],
    )
    blueprint.add_url_rule(
        "/social-needs", "social_results", guard(social_results), methods=["POST"]
    )
