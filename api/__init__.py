"""The JSON API under /api/v1."""

from flask import Blueprint

api_blueprint = Blueprint("api", __name__)

from api import (  # noqa: E402,F401  (routes attach to the blueprint)
    directory_routes,
    matches,
    referral_coordination,
    referrals,
)
