"""/healthz: the process is up, the system of record answers, and how the two indexes are."""

from flask import Blueprint, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from directory.extensions import db
from matching.matcher import matcher
from programs.index.keeper import program_index

# Its own blueprint at the root: not under /api/v1, not rate limited, not in the OpenAPI.
health_blueprint = Blueprint("health", __name__)


@health_blueprint.get("/healthz")
def healthz():
    """200 when the database answers, 503 otherwise."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return jsonify({"status": "unavailable", "database": "down"}), 503
    return jsonify(
        {
            "status": "ok",
            "database": "up",
            "match_index": matcher.state(),
            "program_index": program_index.state(),
        }
    )
