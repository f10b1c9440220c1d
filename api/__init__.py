"""The JSON API under /api/v1: build_blueprint() assembles it from the route modules."""

from flask import Blueprint

from api import (
    adequacy,
    analytics,
    care_plan,
    changes,
    directory_routes,
    docs_routes,
    episodes,
    matches,
    programs,
    referral_coordination,
    referral_errors,
    referral_messages,
    referral_returns,
    referrals,
    registry,
    report_routes,
    screenings,
)
from api.rate_limits import limit_blueprint

# In this order routes reach the URL map (and the OpenAPI document lists paths sorted).
ROUTE_MODULES = (
    changes,
    directory_routes,
    docs_routes,
    matches,
    programs,
    referrals,
    referral_coordination,
    referral_returns,
    referral_messages,
    referral_errors,
    screenings,
    episodes,
    care_plan,
    registry,
    report_routes,
    analytics,
    adequacy,
)


def build_blueprint() -> Blueprint:
    """A fresh blueprint holding every route module's routes, rate limited per client."""
    blueprint = Blueprint("api", __name__)
    for module in ROUTE_MODULES:
        module.routes.register(blueprint)
    limit_blueprint(blueprint)
    return blueprint
