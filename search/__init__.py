"""Elasticsearch retrieval for matching: mapping, queries, index lifecycle, outbox sync.

An adapter: it implements matching's MatchBackend port, and the app factory hands its
backend_factory to the Matcher; matching never imports search. The outbox's flush listener
is installed with the system of record (system_of_record.register_records).
"""

import search.models  # noqa: F401  (the outbox table must be known to create_all and Alembic)
from search.select import backend_factory

__all__ = ["CLI_HELP", "backend_factory"]

CLI_HELP = "Elasticsearch index: build, sync, check, inspect."
