"""The request edge's Flask extensions, created unbound and attached in create_app."""

from flask import request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import current_user
from flask_wtf.csrf import CSRFProtect

# No app-wide default limit; routes opt in with @limiter.limit. Storage: RATELIMIT_STORAGE_URI.
limiter = Limiter(key_func=get_remote_address)


class BearerAwareCSRF(CSRFProtect):
    """CSRF on forms and cookie-authenticated writes; not on API-key or anonymous API calls."""

    def protect(self, apply_exemptions=False):
        # Browsers never attach an Authorization header on their own, so a request that
        # carries one cannot be a cross-site forgery; identity then ignores the session.
        if request.headers.get("Authorization", "").lower().startswith("bearer "):
            return
        # An API request with no signed-in session carries no authority a forger could borrow:
        # let the route answer it (401 with WWW-Authenticate), not "CSRF token missing".
        if request.path.startswith(("/api/", "/fhir/")) and not current_user.is_authenticated:
            return
        return super().protect(apply_exemptions=apply_exemptions)


csrf = BearerAwareCSRF()
