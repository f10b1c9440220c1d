"""FHIR R4 Da Vinci PDex Plan-Net API at /fhir: read and search the public directory."""

from flask import Blueprint

from api.errors import ERROR_RENDERERS
from api.rate_limits import limit_blueprint

fhir_blueprint = Blueprint("fhir", __name__)


@fhir_blueprint.record_once
def _errors_as_outcomes(state) -> None:
    """Errors under /fhir (404s of unknown paths too) answer with an OperationOutcome."""
    from fhir_api.outcomes import outcome_response

    prefix = (state.url_prefix or "/fhir").rstrip("/") + "/"
    state.app.extensions.setdefault(ERROR_RENDERERS, {})[prefix] = outcome_response


from fhir_api import routes  # noqa: E402,F401  (routes attach to the blueprint)

limit_blueprint(fhir_blueprint)
