"""Which episode a patient belongs to: the folded name, the member id, the organization."""

from datetime import UTC, date, datetime

from episodes.identity import Patient, episode_for, find_episode, member_key, name_key
from episodes.models import Episode

NOW = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
BIRTH = date(1988, 4, 12)


def test_name_key_folds_case_accents_punctuation_and_word_order():
    assert name_key("María  López") == "lopez maria"
    assert name_key("LOPEZ, Maria") == "lopez maria"
    assert name_key("O'Brien-Smith, Seán") == "brien o sean smith"
    assert name_key("   ") == ""


def test_member_key_strips_and_upper_cases_and_empty_is_none():
    assert member_key(" acme123456 ") == "ACME123456"
    assert member_key("  ") is None
    assert member_key(None) is None


def _patient(world, **overrides) -> Patient:
    fields = {
        "organization_id": world.pcp_org.id,
        "name": "Maria Lopez",
        "birth_date": BIRTH,
        "member_id": "ACME123456",
        "plan_id": world.plan.id,
    }
    return Patient(**{**fields, **overrides})


def test_a_new_patient_opens_an_episode_with_the_normalized_identity(db, world):
    episode = episode_for(_patient(world, member_id=" acme123456"), "user:1", NOW)

    assert (episode.organization_id, episode.patient_name, episode.patient_name_key) == (
        world.pcp_org.id,
        "Maria Lopez",
        "lopez maria",
    )
    assert (episode.plan_id, episode.patient_member_id, episode.created_by) == (
        "AcmeGold",
        "ACME123456",
        "user:1",
    )


def test_the_same_name_and_birth_date_find_the_episode(db, world):
    first = episode_for(_patient(world, member_id=None, plan_id=None), "user:1", NOW)

    again = episode_for(_patient(world, name="LÓPEZ, maria", member_id=None), "user:2", NOW)

    assert again.id == first.id
    assert db.session.query(Episode).count() == 1


def test_the_member_id_and_plan_find_the_episode_under_another_spelling(db, world):
    first = episode_for(_patient(world), "user:1", NOW)

    again = episode_for(_patient(world, name="Maria G. Lopez-Ruiz"), "user:1", NOW)

    assert again.id == first.id


def test_an_episode_opened_without_a_member_id_learns_it(db, world):
    first = episode_for(_patient(world, member_id=None), "user:1", NOW)
    assert (first.plan_id, first.patient_member_id) == (None, None)

    again = episode_for(_patient(world), "user:1", NOW)

    assert again.id == first.id
    assert (again.plan_id, again.patient_member_id) == ("AcmeGold", "ACME123456")


def test_another_member_id_of_the_same_plan_is_another_person(db, world):
    first = episode_for(_patient(world), "user:1", NOW)

    twin = episode_for(_patient(world, member_id="ACME999999"), "user:1", NOW)

    assert twin.id != first.id
    assert find_episode(_patient(world, member_id=None)).id == first.id


def test_a_different_birth_date_or_organization_is_another_episode(db, world):
    first = episode_for(_patient(world, member_id=None), "user:1", NOW)

    other_birth = episode_for(
        _patient(world, member_id=None, birth_date=date(1988, 4, 13)), "user:1", NOW
    )
    other_org = episode_for(_patient(world, organization_id=world.other_pcp_org.id), "u", NOW)

    assert len({first.id, other_birth.id, other_org.id}) == 3
