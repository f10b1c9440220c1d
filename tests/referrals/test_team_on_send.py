"""Sending a referral puts its receiver on the episode's care team, once, audited."""

from datetime import UTC, datetime

from sqlalchemy import select

from accounts.identity import actor_for_user
from audit.models import AuditEvent
from directory.models.verification import as_utc
from referrals import use_cases
from referrals.care_team import active_members
from tests.referrals.program_world import program_payload
from tests.referrals.world import referral_payload

NOW = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)


def _team(episode_id):
    return [(m.role, m.name, m.npi, as_utc(m.added_at)) for m in active_members(episode_id)]


def _member_audit(db):
    rows = db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == "care_team_member")
    )
    return [(r.action, r.outcome) for r in rows]


def test_a_sent_bh_referral_adds_its_clinician_once(db, pcp, world):
    actor = actor_for_user(pcp.user)
    first = use_cases.open_and_send(actor, referral_payload(world), [], NOW)
    second = use_cases.open_and_send(actor, referral_payload(world), [], NOW)

    assert second.episode_id == first.episode_id
    (jane,) = active_members(first.episode_id)
    assert (jane.role, jane.name, jane.npi, jane.added_by) == (
        "bh_clinician",
        "Jane Smith, LICSW",
        world.jane.npi,
        actor.label,
    )
    assert _member_audit(db) == [("create", "ok")]


def test_a_draft_joins_the_team_only_when_sent(db, pcp, world):
    actor = actor_for_user(pcp.user)
    draft = use_cases.create(actor, referral_payload(world), NOW).referral

    assert active_members(draft.episode_id) == []
    use_cases.move(actor, draft.id, {"type": "send"}, NOW)
    assert [(r, n) for r, n, *_ in _team(draft.episode_id)] == [
        ("bh_clinician", "Jane Smith, LICSW")
    ]


def test_a_removed_clinician_rejoins_on_the_next_referral(db, pcp, world):
    actor = actor_for_user(pcp.user)
    first = use_cases.open_and_send(actor, referral_payload(world), [], NOW)
    (jane,) = active_members(first.episode_id)
    use_cases.remove_member(actor, first.episode_id, jane.id, NOW)

    use_cases.open_and_send(actor, referral_payload(world), [], NOW)
    assert [n for _r, n, *_ in _team(first.episode_id)] == ["Jane Smith, LICSW"]
    assert _member_audit(db) == [("create", "ok"), ("delete", "ok"), ("create", "ok")]


def test_a_sent_program_referral_adds_the_programs_organization(db, pcp, world, programs):
    actor = actor_for_user(pcp.user)
    rid = use_cases.create(actor, program_payload(world, programs.pantry), NOW).referral.id
    referral = use_cases.move(actor, rid, {"type": "send"}, NOW)

    assert _team(referral.episode_id) == [
        ("community_program", "Greater Boston Food Bank", None, NOW)
    ]
