"""Whether a clinician takes new patients: per-location overrides win over the clinician's flag.

The rule exists twice, in Python for one loaded clinician and in SQL for filtering, so both
live here and the tests check that they agree.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists, func, not_, or_, true

from directory.models import Clinician, ClinicianLocation


def location_accepts(clinician: Clinician, link: ClinicianLocation) -> bool | None:
    """The answer at one location: its override, else the clinician's flag (None = unknown)."""
    if link.accepting_new_patients is not None:
        return link.accepting_new_patients
    return clinician.accepting_new_patients


def accepts_new_patients(clinician: Clinician) -> bool | None:
    """True if accepting at any location, False if known not to anywhere, else None."""
    if not clinician.locations:
        return clinician.accepting_new_patients
    answers = [location_accepts(clinician, link) for link in clinician.locations]
    if True in answers:
        return True
    if all(answer is False for answer in answers):
        return False
    return None


def _effective() -> ColumnElement:
    return func.coalesce(ClinicianLocation.accepting_new_patients, Clinician.accepting_new_patients)


def _has_location(*conditions: ColumnElement) -> ColumnElement:
    return exists().where(ClinicianLocation.clinician_id == Clinician.id, *conditions)


def accepting_clause() -> ColumnElement:
    """SQL twin of accepts_new_patients(...) is True."""
    return or_(
        _has_location(_effective() == true()),
        and_(Clinician.accepting_new_patients.is_(True), not_(_has_location())),
    )


def not_accepting_clause() -> ColumnElement:
    """SQL twin of accepts_new_patients(...) is False (unknown answers match neither)."""
    return or_(
        and_(
            _has_location(),
            # An unknown (NULL) answer at any location is not a known "no".
            not_(_has_location(or_(_effective().is_(None), _effective() == true()))),
        ),
        and_(Clinician.accepting_new_patients.is_(False), not_(_has_location())),
    )
