"""The appointment-request state machine (pure): one status table, and the moves it allows."""

from __future__ import annotations

from dataclasses import dataclass

from referrals.words import N_


@dataclass(frozen=True)
class Status:
    """One request status: its words, where it may go next, and what the patient's text says."""

    code: str
    words: str  # English label; pages translate it
    action: str | None  # the button that moves a request here; None: no one moves it here
    nexts: tuple[str, ...]  # statuses a clinician may move it to from here
    terminal: bool  # nothing more happens
    # The status text for a patient who opted in, per language; never a specialty or diagnosis.
    texts: dict[str, str]


_STOP = "Reply STOP to stop texts. In crisis call or text 988."
_STOP_ES = "Responda STOP para no recibir más. En crisis llame o escriba al 988."
# What the patient's text says per status: the office acted, never who or what for.
_TEXTS = {
    "contacted": {
        "en": f"The office you asked to call you back has reached out. {_STOP}",
        "es": f"El consultorio al que pidió una llamada se comunicó con usted. {_STOP_ES}",
    },
    "scheduled": {
        "en": f"Your appointment request was scheduled; the office will confirm the time. {_STOP}",
        "es": f"Su solicitud de cita fue programada; el consultorio confirmará la hora. {_STOP_ES}",
    },
    "could_not_reach": {
        "en": f"The office could not reach you. Please call them. {_STOP}",
        "es": f"El consultorio no pudo comunicarse con usted. Por favor llámeles. {_STOP_ES}",
    },
    "declined": {
        "en": f"The office cannot offer an appointment. Search the directory for others. {_STOP}",
        "es": "El consultorio no puede ofrecer una cita. Busque otros en el directorio."
        f" {_STOP_ES}",
    },
}
_ENDS = ("scheduled", "could_not_reach", "declined")

STATUS_TABLE: tuple[Status, ...] = (
    Status("new", N_("New"), None, ("contacted", *_ENDS), False, {}),
    Status("contacted", N_("Contacted"), N_("Mark contacted"), _ENDS, False, _TEXTS["contacted"]),
    Status("scheduled", N_("Scheduled"), N_("Mark scheduled"), (), True, _TEXTS["scheduled"]),
    Status(
        "could_not_reach",
        N_("Could not reach"),
        N_("Mark could not reach"),
        (),
        True,
        _TEXTS["could_not_reach"],
    ),
    Status("declined", N_("Declined"), N_("Decline"), (), True, _TEXTS["declined"]),
)

BY_CODE = {status.code: status for status in STATUS_TABLE}
CODES = tuple(BY_CODE)
OPEN = tuple(s.code for s in STATUS_TABLE if not s.terminal)


class NotAllowed(Exception):
    """The request cannot move from its status to the one asked."""


def move(current: str, wanted: str) -> str:
    """`wanted` when the table allows it from `current`; NotAllowed otherwise."""
    if wanted not in BY_CODE[current].nexts:
        raise NotAllowed(f"{current} -> {wanted}")
    return wanted


def status_text(code: str, language: str | None) -> str | None:
    """The patient's status text for `code` in their language (English when we have none)."""
    texts = BY_CODE[code].texts
    return texts.get(language or "en") or texts.get("en")
