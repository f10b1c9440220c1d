"""The Matcher extension: needs in, a ranked page out, for every entry point of one app.

It holds what every search shares: the needs schema (built once: building one copies all its
fields), the match index keeper (one per process, made after gunicorn forks) and the backend
factory. A search retrieves from the embedded backend (the index, or SQL with MATCH_INDEX=off),
which the factory the app injects may put behind another one (Elasticsearch with the embedded
backend as its fallback); referral signals come from the provider the app plugs in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import Flask, current_app
from sqlalchemy.orm import Session

from directory.extensions import db
from directory.geography import AddressGeocoder, make_geocoder
from matching.backend import MatchBackend
from matching.embedded import EmbeddedBackend
from matching.index.backend import IndexedBackend
from matching.index.keeper import IndexKeeper, Settings
from matching.nearest import Nearest, nearest_in_person
from matching.needs import Needs
from matching.needs_schema import NeedsSchema
from matching.plans import plan_lookup
from matching.service import MatchPage, find_matches
from matching.signals import SignalsProvider, no_signals

INDEX_MODES = ("memory", "off")
_EXTENSION = "matcher"

# (the embedded backend of one search, its time) -> the backend that search retrieves from.
BackendFactory = Callable[[MatchBackend, datetime | None], MatchBackend]
# The request's session -> where the ranker's referral signals come from.
SignalsFactory = Callable[[Session], SignalsProvider]


def check_index_config(config) -> None:
    """Refuse to start with an unknown MATCH_INDEX."""
    if config.get("MATCH_INDEX", "memory") not in INDEX_MODES:
        raise ValueError(f"MATCH_INDEX must be one of {INDEX_MODES}")


def _no_signals(_session: Session) -> SignalsProvider:
    return no_signals


@dataclass
class Matching:
    """One app's matching: the schema, the signals, the backend factory, the index keeper."""

    needs_schema: NeedsSchema
    signals: SignalsFactory
    backend_factory: BackendFactory | None
    keeper: IndexKeeper | None = None


class Matcher:
    """`matcher.init_app(app, ...)` in the factory; `matcher.find(needs, now)` in a request."""

    def init_app(
        self,
        app: Flask,
        *,
        signals: SignalsFactory = _no_signals,
        backend_factory: BackendFactory | None = None,
        geocoder: AddressGeocoder | None = None,
    ) -> None:
        """Check MATCH_INDEX and build the app's needs schema; no index is made here."""
        check_index_config(app.config)
        schema = NeedsSchema(
            # db.session is scoped, so the look-up reads through each request's own session.
            plans=plan_lookup(db.session),
            geocoder=geocoder or make_geocoder(app.config),
            max_limit=app.config["API_PAGE_SIZE_MAX"],
        )
        app.extensions[_EXTENSION] = Matching(schema, signals, backend_factory)

    @staticmethod
    def _of(app: Flask | None) -> Matching:
        return (app or current_app).extensions[_EXTENSION]

    @property
    def needs_schema(self) -> NeedsSchema:
        """The current app's needs schema: load() raises ValidationError with errors per field."""
        return self._of(None).needs_schema

    def keeper(self, app: Flask | None = None) -> IndexKeeper | None:
        """The process's index keeper (made on first use, after gunicorn forks), or None (off)."""
        app = app or current_app._get_current_object()
        if app.config.get("MATCH_INDEX", "memory") == "off":
            return None
        matching = self._of(app)
        if matching.keeper is None:
            settings = Settings(
                inline_max=int(app.config.get("MATCH_INDEX_INLINE_MAX", Settings.inline_max)),
                delta_max=int(app.config.get("MATCH_INDEX_DELTA_MAX", Settings.delta_max)),
            )
            with app.app_context():
                matching.keeper = IndexKeeper(db.engine, settings)
        return matching.keeper

    def embedded_backend(self, session: Session, now: datetime | None = None) -> MatchBackend:
        """The embedded backend for one search: over the index, or SQL with MATCH_INDEX=off."""
        keeper = self.keeper()
        if keeper is None:
            return EmbeddedBackend(session, now)
        return IndexedBackend(keeper, session, now)

    def backend(self, session: Session, now: datetime | None = None) -> MatchBackend:
        """The backend one search retrieves from: the embedded one, or the factory's over it."""
        embedded = self.embedded_backend(session, now)
        factory = self._of(None).backend_factory
        return embedded if factory is None else factory(embedded, now)

    def find(self, needs: Needs, now: datetime) -> MatchPage:
        """The ranked, explained page of matches for `needs` (as POST /api/v1/matches answers)."""
        session = db.session
        return find_matches(
            needs,
            self.backend(session, now),
            self._of(None).signals(session),
            now,
            current_app.config["STALE_AFTER_DAYS"],
        )

    def nearest(self, needs: Needs, now: datetime) -> Nearest:
        """The nearest in-person option for `needs` over a wider radius (zero-result pages)."""
        return nearest_in_person(self.backend(db.session, now), needs, now.date())

    def state(self) -> str:
        """ready | building | failed | cold (builds on the first search) | off: the index."""
        if current_app.config.get("MATCH_INDEX", "memory") == "off":
            return "off"
        keeper = self._of(None).keeper
        return keeper.state if keeper is not None else "cold"

    def warm(self, app: Flask) -> None:
        """Start building the index now (a worker that just started), not in the first search."""
        if app.config.get("SEARCH_BACKEND", "embedded") != "embedded":
            return  # Elasticsearch answers; the index is built only if the fallback needs it
        keeper = self.keeper(app)
        if keeper is not None and keeper.snapshot is None:
            keeper.start_build()


matcher = Matcher()
