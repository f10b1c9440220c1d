"""Schemathesis against /api/v1/openapi.json over a small seeded directory.

Every operation gets valid and invalid inputs (FUZZ_EXAMPLES per operation and mode; 10 in
`make test`, more in `make fuzz`): no 5xx, every status documented, every body matching its
schema and content type. Without credentials every referral route must answer 401; with a
scoped key, schemathesis also replays each success without and with a forged key.
"""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_schema_conformance,
    status_code_conformance,
)

from api.openapi import openapi_path
from api.openapi_operations import OPERATIONS

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))
MODES = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def _operation(app, endpoint: str):
    """The schemathesis operation for a Flask endpoint, from the document the app serves."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    [rule] = [r for r in app.url_map.iter_rules() if r.endpoint == endpoint]
    [method] = sorted(rule.methods - {"HEAD", "OPTIONS"})
    return schema[openapi_path(rule.rule)][method]


def _fuzz(operation, mode: GenerationMode, check_case) -> None:
    """Run `check_case` on FUZZ_EXAMPLES generated cases."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @FUZZ_SETTINGS
    def run(case):
        check_case(case)

    try:
        run()
    except Unsatisfiable:
        # Nothing in the operation can be made invalid (no parameters, or free-form strings).
        assert mode is GenerationMode.NEGATIVE
        pytest.skip(f"no invalid input exists for {operation.label}")


def _dropped_auth(case) -> bool:
    """True when schemathesis negated the Authorization header by leaving it out."""
    data = getattr(case.meta.phase, "data", None) if case.meta else None
    negated = getattr(data, "parameter", None) == "Authorization"
    return negated and "Authorization" not in (case.headers or {})


@pytest.fixture
def partner_key(make_api_key):
    """A referral partner's key with every scope."""
    return make_api_key(
        "Fuzz Partner Clinic", scopes=("directory:read", "referrals:read", "referrals:write")
    )


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("endpoint", sorted(OPERATIONS))
def test_operation_without_credentials(app, directory_data, endpoint, mode):
    operation = _operation(app, endpoint)
    secured = OPERATIONS[endpoint].scope is not None

    def check(case):
        response = case.call_and_validate(checks=CHECKS)
        if secured:
            # PHI routes refuse before reading any input; a path that does not route is a 404.
            assert response.status_code in (401, 404), response.status_code
            assert response.status_code == 401 or mode is GenerationMode.NEGATIVE

    _fuzz(operation, mode, check)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("endpoint", sorted(e for e, op in OPERATIONS.items() if op.scope))
def test_referral_operation_with_a_scoped_key(app, directory_data, partner_key, endpoint, mode):
    auth = {"Authorization": f"Bearer {partner_key}"}

    def check(case):
        response = case.call_and_validate(headers=auth, checks=[*CHECKS, ignored_auth])
        # Invalid data may drop the required Authorization header: then, and only then, 401.
        assert (response.status_code == 401) == _dropped_auth(case)

    _fuzz(_operation(app, endpoint), mode, check)
