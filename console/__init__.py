"""Staff pages: PCP search-and-refer, the plan call console, the clinician and community
organization inboxes, admin tools."""

from __future__ import annotations

from flask import Blueprint, Flask

pcp_blueprint = Blueprint("pcp", __name__, url_prefix="/pcp")
staff_blueprint = Blueprint("staff", __name__, url_prefix="/staff")
clinician_blueprint = Blueprint("clinician", __name__, url_prefix="/clinician")
admin_blueprint = Blueprint("admin", __name__, url_prefix="/admin")
community_blueprint = Blueprint("community", __name__, url_prefix="/community")
smart_blueprint = Blueprint("smart", __name__, url_prefix="/smart")  # EHR launch
BLUEPRINTS = (
    pcp_blueprint,
    staff_blueprint,
    clinician_blueprint,
    admin_blueprint,
    community_blueprint,
    smart_blueprint,
)


def _gettext_fallback(text: str, **values) -> str:
    """`_()` for templates when Flask-Babel is not attached (it replaces this when it is)."""
    return text % values if values else text


def init_console(app: Flask) -> None:
    """Mount the staff pages and their template helpers."""
    # Importing the modules creates the tables' models and attaches the routes.
    from console import (  # noqa: F401
        adequacy,
        admin,
        appointments,
        clinician,
        community,
        listing_details,
        models,
        pcp,
        pcp_programs,
        registry,
        reports,
        smart,
        staff,
    )
    from console.display import register_filters
    from console.referral_links import referral_link_blueprint

    for blueprint in (*BLUEPRINTS, referral_link_blueprint):
        app.register_blueprint(blueprint)
    app.jinja_env.globals.setdefault("_", _gettext_fallback)
    register_filters(app)
    app.context_processor(_staff_home)


def _staff_home() -> dict:
    """Where a signed-in person's work pages start (the account page links there)."""
    from flask import has_request_context, url_for
    from flask_login import current_user

    from console.access import HOME_BY_ROLE

    if not has_request_context():
        return {}
    role = getattr(current_user, "role", None) if current_user.is_authenticated else None
    return {"staff_home": url_for(HOME_BY_ROLE[role])} if role in HOME_BY_ROLE else {}
