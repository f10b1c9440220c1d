"""Elasticsearch retrieval for matching: mapping, queries, index lifecycle, outbox sync.

An adapter: it implements matching's MatchBackend port, and the app factory hands its
backend_factory to the Matcher; matching never imports search.
"""

from flask import Flask

import search.models  # noqa: F401  (the outbox table must be known to create_all and Alembic)
from search.outbox import install_outbox_listener
from search.select import backend_factory

__all__ = ["CLI_HELP", "backend_factory", "init_search"]

CLI_HELP = "Elasticsearch index: build, sync, check, inspect."


def init_search(app: Flask) -> None:
    """Register the outbox's flush listener (SEARCH_OUTBOX decides per flush whether it writes)."""
    install_outbox_listener()
