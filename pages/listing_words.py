"""The words for a listing's days, language proficiency and how a competency is known.

The patient's profile (web/) and the clinician's own listing page (console/) both say them.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

DAY_WORDS = {
    "mon": _l("Monday"),
    "tue": _l("Tuesday"),
    "wed": _l("Wednesday"),
    "thu": _l("Thursday"),
    "fri": _l("Friday"),
    "sat": _l("Saturday"),
    "sun": _l("Sunday"),
}
PROFICIENCY_WORDS = {
    "elementary": _l("basic"),
    "limited_working": _l("some"),
    "professional_working": _l("works in it"),
    "full_professional": _l("fluent"),
    "native": _l("native speaker"),
}
COMPETENCY_HOW = {
    "self_reported": _l("the clinician says so"),
    "trained": _l("has had training"),
    "lived_experience": _l("lived experience"),
}
