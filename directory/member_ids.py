"""Plans' member-id formats: which plan a member id belongs to, one rule for page and server.

A format is a small anchored regular expression (e.g. ``^T\\d{9}$``) written in the part of the
syntax Python and the browser read alike: capital letters, digits, ``\\d``, classes, groups,
alternation and counts. The call console's script runs the same formats over the same
normalized id (white space dropped, upper case), so page and server never disagree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

FORMAT_MAX = 100
SOURCE_MAX = 200
MEMBER_ID_MAX = 40
# Anchored, and nothing whose meaning differs between Python's re and JavaScript's RegExp.
_SAFE_FORMAT = re.compile(r"\^(?:[A-Z0-9\[\]{}(),|?+*-]|\\d)+\$")


class HasFormat(Protocol):
    """A plan row: its id, name and member-id format (None when unknown)."""

    id: str
    name: str
    member_id_format: str | None


@dataclass(frozen=True)
class PlanCheck:
    """A member id against the plans offered: the ones whose format it fits, the chosen one's
    verdict (None when nothing is chosen or the chosen plan has no format)."""

    matching: tuple
    chosen_fits: bool | None

    @property
    def only(self):
        """The one plan whose format fits, else None (none or several fit)."""
        return self.matching[0] if len(self.matching) == 1 else None


def check_format(text: str) -> str:
    """The format, stripped; ValueError saying why when it is not one the console can run."""
    text = (text or "").strip()
    if not text or len(text) > FORMAT_MAX:
        raise ValueError(f"a member-id format has 1 to {FORMAT_MAX} characters")
    if not _SAFE_FORMAT.fullmatch(text):
        raise ValueError(
            "a member-id format starts with ^, ends with $ and uses only capital letters, "
            "digits, \\d, [ ] { } ( ) , | ? + * -"
        )
    try:
        re.compile(text, re.ASCII)
    except re.error as err:
        raise ValueError(f"not a regular expression: {err}") from None
    return text


def normalized(member_id: str | None) -> str:
    """The id as formats see it: white space dropped, upper case (cards print both ways)."""
    return "".join((member_id or "").split()).upper()[:MEMBER_ID_MAX]


def fits(member_id: str | None, member_id_format: str | None) -> bool:
    """True when the normalized id has the format (an empty id or format fits nothing)."""
    text = normalized(member_id)
    if not text or not member_id_format:
        return False
    # ASCII: \d is 0-9 only, as in the browser.
    return re.fullmatch(member_id_format, text, re.ASCII) is not None


def check(member_id: str | None, plans: Iterable[HasFormat], chosen: str | None) -> PlanCheck:
    """The plans whose format the id fits, and whether the chosen plan (by id) is one of them."""
    plans = list(plans)
    matching = tuple(p for p in plans if fits(member_id, p.member_id_format))
    picked = next((p for p in plans if p.id == chosen), None)
    if picked is None or not picked.member_id_format or not normalized(member_id):
        return PlanCheck(matching, None)
    return PlanCheck(matching, picked in matching)
