"""What an opted-in patient is texted or emailed when their referral moves (pure).

The words say how far the referral got, never what it is for: no diagnosis, no concern, no
clinician specialty or name, no program type. They come from the referring practice, carry its
phone and, in a text, how to stop. Each language has one table; a language without one is
written in English.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time

# How a patient asks for notices at referral creation.
NOTICE_CHOICES = ("none", "sms", "email")
# A carrier joins at most two segments for us: keep every text within them.
SMS_MAX = 320
# The practice's name is cut here so the longest text still fits SMS_MAX.
PRACTICE_NAME_MAX = 40
FALLBACK_LANGUAGE = "en"

# status -> the sentence telling the patient where their referral is; {when} is the appointment.
_SENTENCES = {
    "en": {
        "sent": "your referral was sent. They should contact you soon.",
        "acknowledged": "your referral was received and is being reviewed.",
        "scheduled": "your appointment is set for {when}.",
        "declined": "that referral could not go ahead. We are finding another option for you.",
        "closed": "your referral is complete.",
    },
    "es": {
        "sent": "su remisión fue enviada. Deberían comunicarse con usted pronto.",
        "acknowledged": "su remisión fue recibida y la están revisando.",
        "scheduled": "su cita es el {when}.",
        "declined": (
            "esa remisión no pudo seguir adelante. Estamos buscando otra opción para usted."
        ),
        "closed": "su remisión está completa.",
    },
}
_WORDS = {
    "en": {
        "questions": "Questions: {phone}.",
        "stop": "Reply STOP to stop.",
        "subject": "An update on your referral",
        "unsubscribe": "To stop these emails, open this link:",
        "at": "{day} at {time}",
    },
    "es": {
        "questions": "Preguntas: {phone}.",
        "stop": "Responda STOP para no recibir más.",
        "subject": "Novedades sobre su remisión",
        "unsubscribe": "Para dejar de recibir estos correos, abra este enlace:",
        "at": "{day} a las {time}",
    },
}
# The statuses a patient hears about (the others are the care team's business).
NOTICE_STATUSES = frozenset(_SENTENCES["en"])


@dataclass(frozen=True)
class PatientNotice:
    """What changed, as the message builder needs it: nothing clinical goes in."""

    status: str
    language: str | None
    practice: str  # the referring practice's name
    phone: str | None  # the referring practice's phone
    appointment_at: datetime | None = None
    zone: ZoneInfo = ZoneInfo("UTC")


@dataclass(frozen=True)
class EmailText:
    """An email's subject and plain-text body."""

    subject: str
    body: str


def language_of(code: str | None) -> str:
    """The patient's language when we write in it, English otherwise."""
    base = (code or "").split("-")[0].lower()
    return base if base in _SENTENCES else FALLBACK_LANGUAGE


def tells_patient(status: str) -> bool:
    """True when a referral reaching `status` is worth a message to the patient."""
    return status in NOTICE_STATUSES


def _when(notice: PatientNotice, language: str) -> str:
    """The appointment in the referral's time zone, as the patient's language writes it."""
    if notice.appointment_at is None:
        return ""
    local = notice.appointment_at.astimezone(notice.zone)
    day = format_date(local, format="long", locale=language)
    clock = format_time(local, format="short", locale=language)
    return _WORDS[language]["at"].format(day=day, time=clock)


def _practice(name: str) -> str:
    name = " ".join(name.split())
    if len(name) <= PRACTICE_NAME_MAX:
        return name
    return name[: PRACTICE_NAME_MAX - 1].rstrip() + "…"


def _lines(notice: PatientNotice) -> tuple[str, list[str]]:
    """The patient's language and the message's sentences (without the way to stop)."""
    language = language_of(notice.language)
    sentence = _SENTENCES[language][notice.status].format(when=_when(notice, language))
    parts = [f"{_practice(notice.practice)}: {sentence}"]
    if notice.phone:
        parts.append(_WORDS[language]["questions"].format(phone=notice.phone))
    return language, parts


def text_message(notice: PatientNotice) -> str:
    """The SMS for the notice, at most SMS_MAX characters, ending with how to stop."""
    language, parts = _lines(notice)
    text = " ".join([*parts, _WORDS[language]["stop"]])
    if len(text) > SMS_MAX:
        # Only an over-long phone can get here: the status and the way to stop matter more.
        text = " ".join([parts[0], _WORDS[language]["stop"]])
    return text


def email_message(notice: PatientNotice, unsubscribe_link: str) -> EmailText:
    """The email for the notice, with its one-click way to stop."""
    language, parts = _lines(notice)
    words = _WORDS[language]
    body = "\n\n".join([" ".join(parts), f"{words['unsubscribe']}\n{unsubscribe_link}"]) + "\n"
    return EmailText(words["subject"], body)
