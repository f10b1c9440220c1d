"""Accounts: sign-in, sessions, API keys and who is acting on a request."""

from flask import Blueprint

accounts_blueprint = Blueprint("accounts", __name__)
