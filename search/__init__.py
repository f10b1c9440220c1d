"""Elasticsearch retrieval for matching: mapping, queries, index lifecycle, outbox sync."""

from flask import Flask

CLI_HELP = "Elasticsearch index: build, sync, check, inspect."


def init_search(app: Flask) -> None:
    """Register the outbox model and its flush listener, and the matching backend factory."""
    import search.models  # noqa: F401  (the outbox table must be known to create_all and Alembic)
    from search.outbox import install_outbox_listener
    from search.select import install_backend_factory

    install_outbox_listener()
    install_backend_factory(app)
