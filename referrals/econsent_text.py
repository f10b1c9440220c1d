"""The release a patient signs through a link, as fixed text per form version and language.

A signed form is a document, not page chrome: its words are pinned by version here (not in
the message catalogs) so the hash stored with a signature names exactly what was shown.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from referrals.consent import PART2_NOTICE

LANGUAGES = ("en", "es")
# A version changes whenever any word below changes; a signature keeps the one it saw.
FORM_VERSIONS = {"release": "release-2026-12-1", "part2": "part2-2026-12-1"}

_WORDS = {
    "en": {
        "patient": "Patient",
        "discloser": "Who may disclose",
        "recipient": "To whom",
        "purpose": "Purpose",
        "purpose_text": "Referral for treatment and coordination of my care.",
        "information": "How much and what kind of information",
        "information_release": (
            "The referral and the clinical information it needs: reason for referral, "
            "diagnoses, conditions and medications."
        ),
        "information_part2": (
            "The referral and the clinical information it needs, including substance use "
            "disorder diagnoses, treatment history and medications."
        ),
        "expiry": "This consent ends",
        "expiry_text": "on {day}, unless I revoke it sooner.",
        "revoke": "Right to revoke",
        "revoke_text": (
            "I may revoke this consent at any time, from this same link or by telling my care "
            "team, except for what was already disclosed because of it."
        ),
        "redisclosure": "Redisclosure",
        "redisclosure_release": (
            "Information disclosed under this authorization may be redisclosed by the "
            "recipient and may no longer be protected by federal privacy rules. My treatment "
            "does not depend on signing."
        ),
        "signature": "Signature and date",
        "signature_text": "My typed full name below, and the date and time I sign.",
    },
    "es": {
        "patient": "Paciente",
        "discloser": "Quién puede divulgar",
        "recipient": "A quién",
        "purpose": "Propósito",
        "purpose_text": "Derivación para tratamiento y coordinación de mi atención.",
        "information": "Cuánta información y de qué tipo",
        "information_release": (
            "La derivación y la información clínica que necesita: motivo de la derivación, "
            "diagnósticos, afecciones y medicamentos."
        ),
        "information_part2": (
            "La derivación y la información clínica que necesita, incluidos diagnósticos de "
            "trastornos por consumo de sustancias, historial de tratamiento y medicamentos."
        ),
        "expiry": "Este consentimiento termina",
        "expiry_text": "el {day}, salvo que lo revoque antes.",
        "revoke": "Derecho a revocar",
        "revoke_text": (
            "Puedo revocar este consentimiento en cualquier momento, desde este mismo enlace o "
            "avisando a mi equipo de atención, excepto lo que ya se haya divulgado por él."
        ),
        "redisclosure": "Nueva divulgación",
        "redisclosure_release": (
            "La información divulgada con esta autorización puede ser divulgada de nuevo por "
            "quien la recibe y dejar de estar protegida por las normas federales de "
            "privacidad. Mi tratamiento no depende de que firme."
        ),
        "signature": "Firma y fecha",
        "signature_text": "Mi nombre completo escrito abajo, y la fecha y hora en que firmo.",
    },
}
# The statement 42 CFR 2.32 requires is given in the words of the rule.
_PART2_NOTICE_LEAD = {
    "en": "Notice required by 42 CFR 2.32: ",
    "es": "Aviso exigido por 42 CFR 2.32 (texto oficial en inglés): ",
}


@dataclass(frozen=True)
class Parties:
    """Who the release is about and between: the facts the text is filled with."""

    patient_name: str
    disclosing_party: str
    recipient: str


@dataclass(frozen=True)
class Element:
    """One element of the release: a key, its heading and its text."""

    key: str
    heading: str
    text: str


def language_of(preferred: str | None) -> str:
    """The form's language: the patient's preferred one when the form exists in it."""
    return preferred if preferred in LANGUAGES else "en"


def _day(value: date, language: str) -> str:
    return value.strftime("%d/%m/%Y") if language == "es" else value.isoformat()


def elements(form: str, parties: Parties, expires_on: date, language: str) -> list[Element]:
    """Every element of the release in order (42 CFR 2.31(a) for the Part 2 form)."""
    w = _WORDS[language]
    if form == "part2":
        notice = _PART2_NOTICE_LEAD[language] + PART2_NOTICE
    else:
        notice = w["redisclosure_release"]
    return [
        Element("patient_name", w["patient"], parties.patient_name),
        Element("disclosing_party", w["discloser"], parties.disclosing_party),
        Element("recipients", w["recipient"], parties.recipient),
        Element("purpose", w["purpose"], w["purpose_text"]),
        Element("information", w["information"], w[f"information_{form}"]),
        Element("expires_on", w["expiry"], w["expiry_text"].format(day=_day(expires_on, language))),
        Element("revocation_statement", w["revoke"], w["revoke_text"]),
        Element("redisclosure", w["redisclosure"], notice),
        Element("signature", w["signature"], w["signature_text"]),
    ]


def text_hash(version: str, language: str, found: list[Element]) -> str:
    """SHA-256 of the exact text shown: version, language and each heading and text."""
    lines = [version, language, *(f"{e.heading}: {e.text}" for e in found)]
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def english(form: str, key: str) -> str:
    """The English text of one fixed element, for the consent record's fields."""
    name = {"purpose": "purpose_text", "information": f"information_{form}"}[key]
    return _WORDS["en"][name]


# The message carrying the link: who asks, and the link; no diagnosis, specialty or program.
_MESSAGES = {
    "en": {
        "subject": "Please review and sign your release of information",
        "email": (
            "{org} asks you to review and sign a release of information for your referral.\n"
            "Open this link to read it and sign (it works until {day}):\n{link}\n"
            "You can revoke it later from the same link.\n"
        ),
        "sms": "{org}: please review and sign your release of information: {link}",
    },
    "es": {
        "subject": "Revise y firme su autorización para compartir información",
        "email": (
            "{org} le pide que revise y firme una autorización para compartir información "
            "para su derivación.\nAbra este enlace para leerla y firmarla (funciona hasta el "
            "{day}):\n{link}\nPuede revocarla más tarde desde el mismo enlace.\n"
        ),
        "sms": "{org}: revise y firme su autorización para compartir información: {link}",
    },
}


def message(channel: str, language: str, org: str, link: str, until: date) -> tuple[str, str]:
    """The subject and body of the message that carries the link, in the patient's language."""
    words = _MESSAGES[language]
    body = words[channel].format(org=org, link=link, day=_day(until, language))
    return words["subject"], body
