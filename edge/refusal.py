"""The one error every screening step raises: a 400 naming the field."""

from __future__ import annotations

from werkzeug.exceptions import BadRequest


class HostileInput(BadRequest):
    """Input refused at the edge; `errors` maps the field's path to the reason."""

    def __init__(self, field: str, reason: str):
        super().__init__(description=f"{field}: {reason}")
        self.field = field
        self.errors = {field: [reason]}
