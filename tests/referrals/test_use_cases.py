"""The referral use cases own visibility, audit, the transaction and notification."""

import ast
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from audit.models import AuditEvent
from referrals import use_cases
from referrals.errors import Blocked, Conflict, Denied, Invalid, Malformed, NotFound
from referrals.models import Referral
from tests.referrals.world import actor_of, referral_payload, signed_in

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)


def _audit(db) -> list[tuple[str, str, str | None]]:
    rows = db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == "referral").order_by(AuditEvent.id)
    )
    return [(r.action, r.outcome, r.object_id) for r in rows]


@pytest.mark.parametrize(
    ("error", "kind", "status", "outcome"),
    [
        (NotFound("x"), "not_found", 404, "denied"),
        (Denied("x"), "denied", 403, "denied"),
        (Invalid("x"), "invalid", 422, "invalid"),
        (Malformed("x"), "invalid", 400, "invalid"),
        (Conflict("x"), "conflict", 409, "invalid"),
        (Blocked("x"), "blocked", 422, "blocked"),
        (NotFound("x", outcome="invalid"), "not_found", 404, "invalid"),
    ],
)
def test_error_kinds(error, kind, status, outcome):
    assert (error.kind, error.status, error.outcome) == (kind, status, outcome)
    assert error.code == kind and error.errors == {} and error.extra == {}


def test_a_refused_create_is_rolled_back_and_audited_alone(pcp, world, db):
    actor = actor_of(pcp)
    with pytest.raises(Malformed) as raised:
        use_cases.create(actor, referral_payload(world, reason=""), NOW)
    assert "reason" in raised.value.errors
    assert db.session.scalar(select(func.count(Referral.id))) == 0
    assert _audit(db) == [("create", "invalid", None)]


def test_a_referral_not_yours_is_not_found_and_audited_as_denied(app, pcp, world, db):
    rid = use_cases.create(actor_of(pcp), referral_payload(world), NOW).referral.id
    stranger = actor_of(signed_in(app, "pcp", world.other_pcp_org))
    with pytest.raises(NotFound) as raised:
        use_cases.read(stranger, rid)
    assert raised.value.code == "not_yours"
    assert _audit(db)[-1] == ("read", "denied", str(rid))
    with pytest.raises(NotFound):
        use_cases.move(stranger, rid, {"type": "cancel"}, NOW)
    assert _audit(db)[-1] == ("event:cancel", "denied", str(rid))
    with pytest.raises(NotFound):
        use_cases.read(stranger, 2**31)
    assert _audit(db)[-1] == ("read", "denied", str(2**31))


def test_a_refused_step_leaves_the_referral_and_sends_no_mail(app, pcp, world, db, smtp_sink):
    actor = actor_of(pcp)
    rid = use_cases.create(actor, referral_payload(world), NOW).referral.id
    with pytest.raises(Denied):
        use_cases.move(actor, rid, {"type": "acknowledge"}, NOW)
    db.session.expire_all()
    assert db.session.get(Referral, rid).status == "draft"
    assert _audit(db)[-1] == ("event:acknowledge", "denied", str(rid))
    assert smtp_sink.messages == []


def test_mail_goes_out_after_the_commit(app, pcp, clinician, world, db, smtp_sink):
    actor = actor_of(pcp)
    rid = use_cases.create(actor, referral_payload(world), NOW).referral.id
    use_cases.move(actor, rid, {"type": "send"}, NOW)
    assert [m["Subject"] for m in smtp_sink.to(clinician.user.email)] == [f"New referral #{rid}"]
    db.session.rollback()  # nothing left uncommitted: the notice describes a stored step
    assert db.session.get(Referral, rid).status == "sent"


def test_transition_conflict_names_the_allowed_api_events(pcp, world):
    actor = actor_of(pcp)
    rid = use_cases.create(actor, referral_payload(world), NOW).referral.id
    use_cases.move(actor, rid, {"type": "send"}, NOW)
    with pytest.raises(Conflict) as raised:
        use_cases.move(actor, rid, {"type": "send"}, NOW)
    assert raised.value.extra == {"allowed_events": ["acknowledge", "cancel"]}


def test_staff_pages_record_the_acknowledgment_on_the_way(pcp, clinician, world, db):
    rid = use_cases.create(actor_of(pcp), referral_payload(world), NOW).referral.id
    use_cases.move(actor_of(pcp), rid, {"type": "send"}, NOW)
    use_cases.move(actor_of(clinician), rid, {"type": "accept"}, NOW, acknowledge_on_the_way=True)
    referral = db.session.get(Referral, rid)
    assert [e.type for e in referral.events] == ["send", "acknowledge", "accept"]


def test_the_api_answers_accept_on_a_sent_referral_with_409(pcp, clinician, world):
    rid = use_cases.create(actor_of(pcp), referral_payload(world), NOW).referral.id
    use_cases.move(actor_of(pcp), rid, {"type": "send"}, NOW)
    with pytest.raises(Conflict):
        use_cases.move(actor_of(clinician), rid, {"type": "accept"}, NOW)


def test_a_refused_second_step_rolls_back_the_first(pcp, clinician, world, db):
    rid = use_cases.create(actor_of(pcp), referral_payload(world), NOW).referral.id
    use_cases.move(actor_of(pcp), rid, {"type": "send"}, NOW)
    with pytest.raises(Invalid):
        use_cases.move(
            actor_of(clinician), rid, {"type": "decline"}, NOW, acknowledge_on_the_way=True
        )
    db.session.expire_all()
    assert db.session.get(Referral, rid).status == "sent"
    assert _audit(db)[-1] == ("event:decline", "invalid", str(rid))


def test_the_checklist_and_revocation_belong_to_the_referring_side(pcp, clinician, world, db):
    rid = use_cases.create(actor_of(pcp), referral_payload(world), NOW).referral.id
    use_cases.move(actor_of(pcp), rid, {"type": "send"}, NOW)
    with pytest.raises(Denied):
        use_cases.set_checklist(actor_of(clinician), rid, "benefits_explained", {}, NOW)
    with pytest.raises(NotFound) as raised:
        use_cases.set_checklist(actor_of(pcp), rid, "no_such_step", {}, NOW)
    assert raised.value.outcome == "invalid"
    with pytest.raises(NotFound) as raised:
        use_cases.revoke_consent(actor_of(pcp), rid, NOW)
    assert raised.value.code == "no_consent"
    assert _audit(db)[-3:] == [
        ("update", "denied", str(rid)),
        ("update", "invalid", str(rid)),
        ("revoke", "invalid", str(rid)),
    ]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


@pytest.mark.parametrize("package", ["console", "web", "fhir_api", "referrals"])
def test_no_referral_code_outside_api_imports_the_api(package):
    offenders = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / package).rglob("*.py"))
        if any(m.startswith("api.referral") for m in _imports(path))
    ]
    assert offenders == []


def test_referral_routes_call_use_cases_not_the_domain_directly():
    for name in ("api/referrals.py", "api/referral_coordination.py", "console/referral_page.py"):
        modules = _imports(ROOT / name)
        assert not {"referrals.transitions", "referrals.intake", "audit.log"} & modules, name


def test_the_domain_never_reads_the_request():
    for path in sorted((ROOT / "referrals").rglob("*.py")):
        assert "request" not in {
            alias.name
            for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, ast.ImportFrom) and node.module == "flask"
            for alias in node.names
        }, path
