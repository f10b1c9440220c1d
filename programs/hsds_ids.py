"""HSDS ids: stable UUIDs derived from each row's source key, so they survive re-loads."""

from __future__ import annotations

import uuid

NAMESPACE = uuid.UUID("6f1d2c55-6a43-5d1e-9a57-3c2b8e0f4d11")


def hsds_id(kind: str, key: str) -> str:
    """The stable UUID of a `kind` ('service', 'location', ...) keyed `key` by its source."""
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{key}"))


def stored_hsds_id(kind: str):
    """A column default: the row's HSDS id from the external_id it is inserted with."""

    def default(context) -> str:
        return hsds_id(kind, context.get_current_parameters()["external_id"])

    return default
