"""Accounts: sign-in, sessions, API keys and who is acting on a request."""

from flask import Blueprint

accounts_blueprint = Blueprint("accounts", __name__)

from accounts import views  # noqa: E402,F401  (routes attach to the blueprint)
