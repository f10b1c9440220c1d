"""The shortlist as an email or a text, in the page's language, always with the 988 line.

Patient-facing words only: each clinician's name and credential, phone and address. Never the
visitor's concern, a diagnosis, a specialty or a program type (the developers' guide).
A text must fit the SMS segment budget: addresses are left out when they would not fit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import gettext as _

# GSM 03.38: the basic set costs one septet a character, the extension table two.
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡"
    "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = frozenset("^{}\\[~]|€\f")


class TooLongForText(Exception):
    """Even without addresses the list needs more SMS segments than allowed."""


@dataclass(frozen=True)
class Entry:
    """One clinician on the list, as the message shows them."""

    name: str
    credentials: str = ""
    phone: str | None = None
    address: str | None = None

    @property
    def title(self) -> str:
        """'Ana Rivera, LICSW'."""
        return f"{self.name}, {self.credentials}" if self.credentials else self.name


def segments(text: str) -> int:
    """SMS segments `text` takes: GSM-7 (160, or 153 when split) else UCS-2 (70, or 67)."""
    if all(c in GSM_BASIC or c in GSM_EXTENSION for c in text):
        units = sum(2 if c in GSM_EXTENSION else 1 for c in text)
        single, part = 160, 153
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, part = 70, 67
    return 1 if units <= single else math.ceil(units / part)


def _crisis_line() -> str:
    return _("In crisis? Call or text 988, the Suicide & Crisis Lifeline, any time.")


def _text_crisis_line() -> str:
    # Kept to GSM-7 characters in every language, so a text is not billed as UCS-2.
    return _("In crisis? Call or text 988 (Suicide & Crisis Lifeline) any time.")


def _text_line(number: int, entry: Entry, with_address: bool) -> str:
    parts = [f"{number}. {entry.title}", entry.phone or _("no phone listed")]
    if with_address and entry.address:
        parts.append(entry.address)
    return " - ".join(parts)


def _text(entries: Sequence[Entry], with_address: bool) -> str:
    lines = [_("Your saved list:")]
    lines += [_text_line(n, e, with_address) for n, e in enumerate(entries, 1)]
    lines.append(_text_crisis_line())
    return "\n".join(lines)


def text_message(entries: Sequence[Entry], lang: str, max_segments: int) -> str:
    """The list as one text in `lang`; without addresses if they would not fit; else raises."""
    with force_locale(lang):
        for with_address in (True, False):
            text = _text(entries, with_address)
            if segments(text) <= max_segments:
                return text
    raise TooLongForText(segments(text))


def _email_block(number: int, entry: Entry) -> str:
    lines = [f"{number}. {entry.title}"]
    if entry.phone:
        lines.append(_("   Phone: %(phone)s", phone=entry.phone))
    else:
        lines.append(_("   No phone listed."))
    if entry.address:
        lines.append(_("   Address: %(address)s", address=entry.address))
    return "\n".join(lines)


def email_message(entries: Sequence[Entry], lang: str) -> tuple[str, str]:
    """(subject, body) of the list as an email in `lang`."""
    with force_locale(lang):
        subject = _("Your saved list of clinicians")
        parts = [_("Here is the list you saved in the behavioral-health directory.")]
        parts += [_email_block(n, e) for n, e in enumerate(entries, 1)]
        parts.append(
            _("Please call before you go: ask if they take new patients and your insurance.")
        )
        parts.append(
            _crisis_line()
            + "\n"
            + _("It is free and private. If you are in danger right now, call 911.")
        )
        return subject, "\n\n".join(parts) + "\n"
