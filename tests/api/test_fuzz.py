"""Schemathesis against /api/v1/openapi.json: no 5xx, and every response exactly as documented.

FUZZ_EXAMPLES cases per operation and mode (10 in `make test`, 200 in `make fuzz`):
- every operation, valid and invalid inputs, without credentials: referral routes answer 401
  (404 for a path that does not route, 400 when the edge refuses a hostile value first);
- every referral operation with a key holding every scope, replayed without and with a forged
  key (ignored_auth);
- the stateful run: POST /referrals, then the links of each referral it returns (events, FHIR,
  checklist, consent revocation, re-referral) as long as they go on;
- every kind of reader (referrer, receiving clinician, plan) of referrals in every disclosure
  state, checked the same way.
Checks on every response: not_a_server_error, status_code_conformance, content_type_conformance,
response_headers_conformance, response_schema_conformance. Cases, statuses and failures per
check are written to artifacts/fuzz/api.json (printed by `make fuzz`).
"""

import json
import os
from collections import Counter, defaultdict
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from hypothesis.stateful import initialize
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.generation.stateful.state_machine import StepInput
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.openapi import openapi_path
from api.openapi_operations import OPERATIONS
from edge.refusal import HostileInput
from edge.screen import InputLimits, screen_json
from tests.api.fuzz_world import (
    EVERY_SCOPE,
    forget_referrals,
    reader_keys,
    referrals_in_every_state,
    seeded_body,
)
from tests.referrals.world import build_world

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))
MODES = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
EDGE_LIMITS = InputLimits(max_depth=31, max_items=1000, max_chars=100_000)
REPORT = Path(__file__).resolve().parents[2] / "artifacts" / "fuzz" / "api.json"
# run -> {"cases": n, "statuses": {code: n}, "checks": {name: {"passed": n, "failed": n}}}
TALLY: dict = defaultdict(lambda: {"cases": 0, "statuses": Counter(), "checks": {}})


@pytest.fixture(scope="module", autouse=True)
def fuzz_report():
    """Write what was tried and what failed, per run and check, when the module is done."""
    yield
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps({"examples": EXAMPLES, "runs": TALLY}, indent=1, sort_keys=True))


def _count(run: str, response, results) -> None:
    entry = TALLY[run]
    entry["cases"] += 1
    entry["statuses"][str(response.status_code)] += 1
    for result in results:
        counts = entry["checks"].setdefault(result.name, {"passed": 0, "failed": 0})
        counts["failed" if result.failure is not None else "passed"] += 1


def _schema(app, run: str):
    """The document the app serves, with every validated response counted under `run`."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)

    def after_validate(context, case, response, results):
        _count(run, response, results)

    schema.hooks.register_hook_with_name(after_validate, "after_validate")
    return schema


def _operation(schema, app, endpoint: str):
    """The schemathesis operation for a Flask endpoint."""
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


def _as_sent(values: dict | None) -> dict:
    """Parameters as the transport puts them in a URL or header: text, lists item by item."""

    def text(value):
        return value if isinstance(value, str) else str(value)

    return {
        key: [text(v) for v in value] if isinstance(value, list) else text(value)
        for key, value in (values or {}).items()
    }


def _hostile(case) -> bool:
    """True when the edge screen refuses something the case sends (before any route runs)."""
    sent = [_as_sent(case.path_parameters), _as_sent(case.query), _as_sent(case.headers)]
    if isinstance(case.body, dict | list | str):
        sent.append(case.body)
    try:
        screen_json(sent, EDGE_LIMITS)
    except HostileInput:
        return True
    return False


@pytest.fixture
def referral_world(app, make_api_key):
    """The referral world, and a key of its PCP practice with every scope."""
    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"  # fast users (tests only)
    world = build_world()
    return world, make_api_key(world.pcp_org, scopes=EVERY_SCOPE)


@pytest.fixture
def partner_key(make_api_key):
    """A referral partner's key with every scope."""
    return make_api_key("Fuzz Partner Clinic", scopes=EVERY_SCOPE)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("endpoint", sorted(OPERATIONS))
def test_operation_without_credentials(app, directory_data, endpoint, mode):
    schema = _schema(app, f"anonymous-{mode.value}")
    secured = OPERATIONS[endpoint].scope is not None

    def check(case):
        response = case.call_and_validate(checks=CHECKS)
        if _hostile(case):
            # The edge refuses hostile input before any route (or its credentials) is looked at.
            assert response.status_code == 400, response.status_code
        elif secured:
            # PHI routes refuse before reading any input; a path that does not route is a 404.
            assert response.status_code in (401, 404), response.status_code
            assert response.status_code == 401 or mode is GenerationMode.NEGATIVE

    _fuzz(_operation(schema, app, endpoint), mode, check)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("endpoint", sorted(e for e, op in OPERATIONS.items() if op.scope))
def test_referral_operation_with_a_scoped_key(app, directory_data, partner_key, endpoint, mode):
    schema = _schema(app, f"scoped-key-{mode.value}")
    auth = {"Authorization": f"Bearer {partner_key}"}

    def check(case):
        response = case.call_and_validate(headers=auth, checks=[*CHECKS, ignored_auth])
        if _hostile(case):
            assert response.status_code == 400, response.status_code
        else:
            # Invalid data may drop the required Authorization header: then, and only then, 401.
            assert (response.status_code == 401) == _dropped_auth(case)

    _fuzz(_operation(schema, app, endpoint), mode, check)


def test_stateful_run_follows_the_links_of_created_referrals(app, referral_world):
    """Each scenario opens a referral for a listed clinician, then follows the links it returns."""
    world, key = referral_world
    schema = _schema(app, "stateful")
    auth = {"Authorization": f"Bearer {key}"}
    machine = schema.as_state_machine()
    # schemathesis takes no random root that names a clinician (nothing it calls lists them
    # as ids), so every scenario starts with one generated, seeded create.
    opened = schema["/referrals"]["POST"].as_strategy(generation_mode=GenerationMode.POSITIVE)

    class Workflow(machine):
        @initialize(target=machine.bundles["POST /referrals -> 201"], case=opened)
        def open_referral(self, case):
            # As schemathesis' own root rules do: record the case, then step.
            step = StepInput.initial(case)
            self.recorder.record_case(case=case)
            self.control.record_step(step, self.recorder)
            return self._step(step)

        def teardown(self):
            forget_referrals()
            super().teardown()

        def before_call(self, case):
            seeded_body(case, world)

        def get_call_kwargs(self, case):
            return {"headers": auth}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs)

    Workflow.run(settings=settings(FUZZ_SETTINGS, stateful_step_count=8))
    # Past validation: referrals were created and their links followed to real answers.
    statuses = TALLY["stateful"]["statuses"]
    assert statuses["201"] >= EXAMPLES // 2, dict(statuses)
    assert statuses["200"] > 0, dict(statuses)


def test_every_reader_of_every_referral_gets_documented_bodies(app, referral_world):
    """Referrer, receiving clinician and plan, on referrals disclosed, withheld and revoked."""
    world, referrer_key = referral_world
    schema = _schema(app, "readers")
    ids = referrals_in_every_state(app, world, referrer_key)
    readers = {"referrer": referrer_key, **reader_keys(world)}
    reads = ["api.get_referral_route", "api.get_referral_fhir_route", "api.list_referrals_route"]
    for name, key in readers.items():
        auth = {"Authorization": f"Bearer {key}"}
        for endpoint in reads:
            operation = _operation(schema, app, endpoint)
            for referral_id in ids if "{referral_id}" in operation.path else [None]:
                params = {"referral_id": referral_id} if referral_id else {}
                case = operation.Case(path_parameters=params)
                response = case.call_and_validate(headers=auth, checks=CHECKS)
                assert response.status_code in (200, 403, 404), (name, endpoint, referral_id)
    assert TALLY["readers"]["statuses"]["200"] >= len(ids) * 2
