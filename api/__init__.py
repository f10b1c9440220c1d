"""The JSON API under /api/v1."""

from flask import Blueprint

api_blueprint = Blueprint("api", __name__)

from api import (  # noqa: E402,F401  (routes attach to the blueprint)
    changes,
    directory_routes,
    docs_routes,
    matches,
    referral_coordination,
    referrals,
)
from api.rate_limits import limit_blueprint  # noqa: E402

limit_blueprint(api_blueprint)
