"""FHIR R4 at /fhir: Da Vinci PDex Plan-Net reads and searches of the public directory, and
BSeR referral messages, Task and ServiceRequest for API-key holders (fhir_api.referral_routes).

create_app mounts fhir_blueprint, counts it against the partner rate limit and has errors under
/fhir (404s of unknown paths too) answer with outcome_response's OperationOutcome.
"""

# The referral routes (BSeR, Task, ServiceRequest) attach themselves to fhir_blueprint.
from fhir_api import referral_routes, subscription_routes  # noqa: F401
from fhir_api.outcomes import outcome_response
from fhir_api.routes import fhir_blueprint

__all__ = ["fhir_blueprint", "outcome_response"]
