"""The community status table: findhelp's words, their lifecycle status and Gravity Task codes."""

from referrals.kinds import KIND_CODES, kind, receiver_may, target_check
from referrals.lifecycle import STATUSES
from referrals.program_status import PROGRAM_STATUS_TABLE, REPORTABLE, reported_target
from tests.referrals.test_fhir import TASK_STATUS_CODES


def test_the_ten_findhelp_statuses_map_to_lifecycle_and_task():
    assert [(r.code, r.words, r.lifecycle, r.task) for r in PROGRAM_STATUS_TABLE] == [
        ("pending", "Pending", "sent", "requested"),
        ("needs_client_action", "Needs client action", "acknowledged", "on-hold"),
        ("eligible", "Eligible", "accepted", "accepted"),
        ("got_help", "Got help", "closed", "completed"),
        ("couldnt_contact", "Couldn't contact", "declined", "failed"),
        ("not_eligible", "Not eligible", "declined", "rejected"),
        ("no_capacity", "No capacity", "declined", "rejected"),
        ("couldnt_get_help", "Couldn't get help", "closed", "failed"),
        ("no_longer_interested", "No longer interested", "cancelled", "cancelled"),
        ("referred_elsewhere", "Referred elsewhere", "declined", "rejected"),
    ]


def test_every_row_names_a_lifecycle_status_and_a_fhir_task_status():
    for row in PROGRAM_STATUS_TABLE:
        assert row.lifecycle in STATUSES
        assert row.task in TASK_STATUS_CODES


def test_terminal_rows_follow_the_lifecycle():
    terminal = [r.code for r in PROGRAM_STATUS_TABLE if r.terminal]
    assert terminal == [
        "got_help",
        "couldnt_contact",
        "not_eligible",
        "no_capacity",
        "couldnt_get_help",
        "no_longer_interested",
        "referred_elsewhere",
    ]


def test_pending_is_where_a_sent_referral_starts_not_a_report():
    assert "pending" not in REPORTABLE
    assert len(REPORTABLE) == 9
    assert reported_target("pending", "eligible") == "accepted"


def test_patient_words_name_no_program_type():
    for row in PROGRAM_STATUS_TABLE:
        lowered = row.patient_words.lower()
        for word in ("food", "housing", "opioid", "methadone", "treatment", "substance"):
            assert word not in lowered


def test_the_kinds_table():
    assert KIND_CODES == ("bh_clinician", "program")
    assert kind(None).code == "bh_clinician"
    assert receiver_may("program", "report") and not receiver_may("program", "accept")
    assert receiver_may("bh_clinician", "accept") and not receiver_may(None, "report")
    assert receiver_may("program", "cancel")  # a referring-side event, any kind
    assert target_check() == (
        "(kind = 'bh_clinician' AND clinician_id IS NOT NULL AND site_id IS NULL) OR "
        "(kind = 'program' AND clinician_id IS NULL AND site_id IS NOT NULL)"
    )
