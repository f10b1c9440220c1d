"""Whether a candidate passes every required need: the one predicate all backends answer to."""

from __future__ import annotations

from datetime import date

from matching.backend import IN_PERSON, TELEHEALTH, Candidate
from matching.criteria import Finding, findings
from matching.needs import Needs


def visit_ok(needs: Needs, c: Candidate) -> bool:
    """In person within the radius, or telehealth with a license in the patient's state."""
    if c.visit == IN_PERSON:
        sees_in_person = not c.modalities or IN_PERSON in c.modalities
        return (
            needs.allows_in_person
            and sees_in_person
            and c.place is not None
            and c.distance_miles is not None
            and c.distance_miles <= needs.max_distance_miles
        )
    if c.visit == TELEHEALTH:
        # Distance does not matter for telehealth, the license does.
        return (
            needs.allows_telehealth
            and c.offers_telehealth
            and needs.state is not None
            and needs.state in c.license_states
        )
    return False


def plan_ok(needs: Needs, c: Candidate) -> bool:
    """In the plan or one of its networks, for this visit."""
    return needs.plan is None or bool(c.network_ids & needs.plan.network_ids)


def accepting_ok(needs: Needs, c: Candidate) -> bool:
    """Not known to be closed to new patients (unknown is kept and marked)."""
    return not needs.accepting_new_patients or c.accepting_new_patients is not False


def age_ok(needs: Needs, c: Candidate) -> bool:
    """Sees the patient's age group (a listing without age groups is kept and marked)."""
    return not needs.age_groups or not c.age_groups or bool(needs.age_groups & c.age_groups)


def treats_ok(needs: Needs, c: Candidate) -> bool:
    """Does not say it does not treat one of the patient's concerns."""
    return not set(needs.concerns) & c.conditions_not_treated


HARD_RULES = (visit_ok, plan_ok, accepting_ok, age_ok, treats_ok)


def passes_rules(needs: Needs, c: Candidate) -> bool:
    """True when the always-required needs are met."""
    # Spelled out rather than all(...) over HARD_RULES: this runs for every candidate.
    return (
        visit_ok(needs, c)
        and plan_ok(needs, c)
        and accepting_ok(needs, c)
        and age_ok(needs, c)
        and treats_ok(needs, c)
    )


def meets_required(needs: Needs, found: list[Finding]) -> bool:
    """True when every finding about a required need is met."""
    return all(f.met for f in found if needs.requires(f.need))


def admits(needs: Needs, c: Candidate, today: date) -> bool:
    """True when the candidate meets every required need."""
    return passes_rules(needs, c) and meets_required(needs, findings(needs, c, today))
