"""FHIR ids of directory rows that both the /fhir entry point and referral messages name."""

from __future__ import annotations

import re

VALID_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")
ROW = re.compile(r"^(loc|org)-(\d{1,10})$")


def row_id(prefix: str, pk: int, external_id: str | None) -> str:
    """A Location ("loc") or Organization ("org") id: its Plan-Net id when usable."""
    if external_id and VALID_ID.match(external_id) and not ROW.match(external_id):
        return external_id
    return f"{prefix}-{pk}"
