"""Routes guarded by the identity decorators, mounted on a test app."""

from dataclasses import asdict

from accounts.identity import current_actor, require_actor, require_scope


def _actor_json():
    data = asdict(current_actor())
    return {k: sorted(v) if isinstance(v, frozenset) else v for k, v in data.items()}


def mount_probes(app) -> None:
    """/api/v1/_probe/<scope> for each scope, /api/v1/_probe/any and the page /_probe."""
    for scope in ("directory:read", "referrals:read", "referrals:write"):
        name = scope.replace(":", "_")
        view = require_scope(scope)(_actor_json)
        app.add_url_rule(f"/api/v1/_probe/{name}", f"probe_{name}", view, methods=["GET", "POST"])
    app.add_url_rule("/api/v1/_probe/any", "probe_any", require_actor(_actor_json))
    app.add_url_rule("/_probe", "probe_page", require_actor(_actor_json))
