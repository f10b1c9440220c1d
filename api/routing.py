"""Routes a module declares, added to the API blueprint when create_app builds it.

A route module says `routes = Routes()` and decorates its views with `@routes.get(...)`, as it
would with a blueprint; api.build_blueprint() adds every module's routes to a fresh blueprint,
so importing a module attaches nothing anywhere.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint


class Routes:
    """One module's views and their URL rules, until register() adds them to a blueprint."""

    def __init__(self) -> None:
        self.rules: list[tuple[str, Callable, dict]] = []

    def route(self, rule: str, **options) -> Callable[[Callable], Callable]:
        """Record `view` at `rule` (Blueprint.route's options: methods, endpoint, ...)."""

        def record(view: Callable) -> Callable:
            self.rules.append((rule, view, options))
            return view

        return record

    def get(self, rule: str, **options) -> Callable[[Callable], Callable]:
        """A GET route."""
        return self.route(rule, methods=["GET"], **options)

    def post(self, rule: str, **options) -> Callable[[Callable], Callable]:
        """A POST route."""
        return self.route(rule, methods=["POST"], **options)

    def put(self, rule: str, **options) -> Callable[[Callable], Callable]:
        """A PUT route."""
        return self.route(rule, methods=["PUT"], **options)

    def register(self, blueprint: Blueprint) -> None:
        """Add every recorded route to `blueprint`, in the order they were declared."""
        for rule, view, options in self.rules:
            blueprint.add_url_rule(rule, view_func=view, **options)
