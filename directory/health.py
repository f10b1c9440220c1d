"""/healthz: the process is up, the system of record answers, and how the match index is."""

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from directory.extensions import db

health_blueprint = Blueprint("health", __name__)


@health_blueprint.get("/healthz")
def healthz():
    """200 when the database answers, 503 otherwise."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return jsonify({"status": "unavailable", "database": "down"}), 503
    return jsonify({"status": "ok", "database": "up", "match_index": _match_index()})


def _match_index() -> str:
    """ready | building | failed | cold (builds on the first search) | off: the match index."""
    if current_app.config.get("MATCH_INDEX", "memory") == "off":
        return "off"
    keeper = current_app.extensions.get("match_index")
    return keeper.state if keeper is not None else "cold"
