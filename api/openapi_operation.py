"""One documented /api/v1 operation: what the OpenAPI document says about an endpoint."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Operation:
    """One documented operation; `errors` are the statuses it answers with a problem."""

    tag: str
    summary: str
    description: str
    ok: object
    ok_status: int = 200
    query: object | None = None
    body: object | None = None
    scope: str | None = None  # None: public
    errors: tuple[int, ...] = ()
    conditional: bool = False  # ETag / Last-Modified, 304
    paged: bool = False  # Link header
    path_params: dict[str, str] = field(default_factory=dict)
    media_type: str = "application/json"
    headers: tuple[dict, ...] = ()
    links: dict[str, dict] = field(default_factory=dict)  # OpenAPI links from the OK response
    example: dict | None = None  # a request body that works on any directory
    body_media_types: tuple[str, ...] = ("application/json",)
    ok_media_types: tuple[str, ...] = ()  # several OK types (a download); else media_type
