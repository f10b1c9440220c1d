"""The JSON API under /api/v1."""

from flask import Blueprint

api_blueprint = Blueprint("api", __name__)

from api import directory_routes, matches  # noqa: E402,F401  (routes attach to the blueprint)
