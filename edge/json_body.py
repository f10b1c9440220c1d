"""JSON request bodies parsed so that nesting can never exhaust the stack."""

from __future__ import annotations

from typing import Any

from flask.json.provider import DefaultJSONProvider

from edge.refusal import HostileInput


class ScreenedJSONProvider(DefaultJSONProvider):
    """Flask's JSON, except that a body nested past the parser's recursion limit is a 400."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        """Parse `s`; RecursionError (a few hundred levels, e.g. 100k `[`) becomes HostileInput."""
        try:
            return super().loads(s, **kwargs)
        except RecursionError:
            # The C parser recurses once per level and stops cleanly at the recursion limit,
            # long before the stack is at risk; the walk in edge.screen caps depth far lower.
            raise HostileInput("body", "JSON is nested too deeply") from None
