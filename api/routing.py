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
        self.error_handlers: list[tuple[type[Exception] | int, Callable]] = []

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

    def errorhandler(self, error: type[Exception] | int) -> Callable[[Callable], Callable]:
        """Record `handler` for `error` raised in the blueprint's views (Blueprint.errorhandler)."""

        def record(handler: Callable) -> Callable:
            self.error_handlers.append((error, handler))
            return handler

        return record

    def register(self, blueprint: Blueprint) -> None:
        """Add every recorded route and error handler to `blueprint`, in declaration order."""
        for rule, view, options in self.rules:
            blueprint.add_url_rule(rule, view_func=view, **options)
        for error, handler in self.error_handlers:
            blueprint.register_error_handler(error, handler)
