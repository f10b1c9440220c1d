"""Demo program referrals: a few referrals from the demo PCP practice to demo programs.

Deterministic: the same patients (synthetic), requests and community statuses every time, to
the food pantry and the opioid treatment program of the first demo area, so the demo PCP's
board shows social referrals beside clinician ones and the demo community user has an inbox.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from directory.extensions import db
from programs.models import ProgramService, ProgramSite


@dataclass(frozen=True)
class DemoReferral:
    """One demo referral: who, what for, to which program, and the statuses it went through."""

    patient: str
    birth_date: str
    reason: str
    diagnoses: tuple[str, ...]
    program: str  # demo program kind: "pantry" or "otp"
    reports: tuple[str, ...]  # what the pantry's staff reported after sending, in order
    patient_updates: bool = False


DEMO_REFERRALS = (
    DemoReferral("Rosa Delgado", "1979-02-14", "Ran out of food twice in the last month",
                 ("Z59.41",), "pantry", (), patient_updates=True),
    DemoReferral("Tom Becker", "1964-09-30", "Skipping meals to pay rent",
                 ("Z59.41", "Z59.86"), "pantry", ("needs_client_action",)),
    DemoReferral("Amina Yusuf", "1991-06-05", "Food insecurity after job loss",
                 ("Z59.41",), "pantry", ("eligible", "got_help")),
    DemoReferral("Dale Novak", "1983-11-21", "Opioid use disorder, wants methadone maintenance",
                 ("F11.20",), "otp", ()),
)  # fmt: skip


def demo_sites() -> dict[str, ProgramSite] | None:
    """The pantry's and the opioid treatment program's sites in the first demo area."""
    pantry = db.session.scalar(
        select(ProgramService)
        .where(ProgramService.source == "demo", ProgramService.external_id.like("demo:%:pantry"))
        .order_by(ProgramService.external_id)
        .limit(1)
    )
    if pantry is None:
        return None
    area = pantry.external_id.removesuffix(":pantry")
    otp = db.session.scalar(
        select(ProgramService).where(ProgramService.external_id == f"{area}:otp")
    )
    sites = {"pantry": pantry.sites[0] if pantry.sites else None}
    sites["otp"] = otp.sites[0] if otp is not None and otp.sites else None
    return sites if all(sites.values()) else None


def _consent(site: ProgramSite, spec: DemoReferral, practice: str, today: date) -> dict:
    """A release naming the program's organization, with every 42 CFR 2.31 element."""
    return {
        "form_type": "phi_authorization",
        "disclosing_party": practice,
        "information": "The referral request, diagnoses and medications",
        "recipients": [{"name": site.service.organization.name}],
        "purpose": "Referral to the program and care coordination",
        "signed_by": spec.patient,
        "signed_on": (today - timedelta(days=3)).isoformat(),
        "expires_on": (today + timedelta(days=365)).isoformat(),
        "revocation_statement": True,
    }


def referral_body(spec: DemoReferral, site: ProgramSite, practice: str, today: date) -> dict:
    """The POST /api/v1/referrals body for one demo referral."""
    return {
        "patient": {"name": spec.patient, "birth_date": spec.birth_date, "phone": "555-0100"},
        "service_at_location_id": site.id,
        "reason": spec.reason,
        "diagnoses": list(spec.diagnoses),
        "urgency": "routine",
        "needs": {"needs": list(site.service.needs or ())},
        "consent": _consent(site, spec, practice, today),
        "patient_updates": spec.patient_updates,
    }
