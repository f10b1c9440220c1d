"""Elasticsearch retrieval for matching: mapping, queries, index lifecycle, outbox sync."""

from flask import Flask


def init_search(app: Flask) -> None:
    """Outbox model and listener, the matching backend factory, the 503 for a dead index."""
    import search.models  # noqa: F401  (the outbox table must be known to create_all and Alembic)
    from search.fallback import register_unavailable_handler
    from search.outbox import install_outbox_listener
    from search.select import install_backend_factory

    install_outbox_listener()
    register_unavailable_handler(app)
    install_backend_factory(app)
