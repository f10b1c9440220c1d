"""Server-rendered pages: languages (web.i18n) and the public patient search (web.patients)."""

from flask import Blueprint

patients_blueprint = Blueprint("patients", __name__)

from web import patients  # noqa: E402,F401  (routes attach to the blueprint)
