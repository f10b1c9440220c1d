"""Run Alembic inside a test without leaving its logging configuration to the tests after it."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def logging_kept() -> Iterator[None]:
    """migrations/env.py calls fileConfig: it disables every existing logger and resets the root."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    loggers = {
        name: (logger.disabled, logger.level)
        for name, logger in logging.root.manager.loggerDict.items()
        if isinstance(logger, logging.Logger)
    }
    try:
        yield
    finally:
        root.setLevel(level)
        root.handlers[:] = handlers
        for name, (disabled, logger_level) in loggers.items():
            logger = logging.getLogger(name)
            logger.disabled, logger.level = disabled, logger_level
