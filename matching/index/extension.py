"""The match index in the app: configuration, one keeper per process, the backend factory."""

from __future__ import annotations

from datetime import datetime

from flask import Flask
from sqlalchemy.orm import Session

from directory.extensions import db
from matching.embedded import EmbeddedBackend
from matching.index.backend import IndexedBackend
from matching.index.keeper import IndexKeeper, Settings

MODES = ("memory", "off")
EXTENSION = "match_index"


def check_index_config(config) -> None:
    """Refuse to start with an unknown MATCH_INDEX."""
    if config.get("MATCH_INDEX", "memory") not in MODES:
        raise ValueError(f"MATCH_INDEX must be one of {MODES}")


def match_keeper(app: Flask) -> IndexKeeper | None:
    """The process's keeper for `app` (created on first use, after gunicorn forks), or None."""
    if app.config.get("MATCH_INDEX", "memory") == "off":
        return None
    keeper = app.extensions.get(EXTENSION)
    if keeper is None:
        settings = Settings(
            inline_max=int(app.config.get("MATCH_INDEX_INLINE_MAX", Settings.inline_max)),
            delta_max=int(app.config.get("MATCH_INDEX_DELTA_MAX", Settings.delta_max)),
        )
        with app.app_context():
            keeper = IndexKeeper(db.engine, settings)
        app.extensions[EXTENSION] = keeper
    return keeper


def embedded_backend(app: Flask, session: Session, now: datetime | None = None):
    """The embedded backend for one search: over the index, or SQL with MATCH_INDEX=off."""
    keeper = match_keeper(app)
    if keeper is None:
        return EmbeddedBackend(session, now)
    return IndexedBackend(keeper, session, now)


def warm(app: Flask) -> None:
    """Start building the index now (a worker that just started), not on the first search."""
    if app.config.get("SEARCH_BACKEND", "embedded") != "embedded":
        return  # Elasticsearch answers; the index is built only if the fallback needs it
    keeper = match_keeper(app)
    if keeper is not None and keeper.snapshot is None:
        keeper.start_build()
