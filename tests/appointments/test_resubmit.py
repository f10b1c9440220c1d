"""A call-back form sent twice is one request; another phone, answer or a late send is not."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import select

from app import create_app
from appointments.models import AppointmentRequest
from appointments.use_cases import answer, submit
from audit.models import AuditEvent
from directory.extensions import db
from tests.appointments.world import NOW, actor_for, given


def _stored() -> list[tuple[str, str]]:
    rows = db.session.scalars(select(AppointmentRequest).order_by(AppointmentRequest.id))
    return [(r.phone, r.status) for r in rows]


def _created() -> int:
    query = select(AuditEvent).where(AuditEvent.action == "create")
    return len(db.session.scalars(query).all())


def test_the_same_form_again_is_the_first_request_confirmed_once(app, clinicians, sent, texts):
    first = sent(status_texts=True)
    again = sent(status_texts=True, at=NOW + timedelta(seconds=2))
    late_in_window = sent(status_texts=True, at=NOW + timedelta(minutes=10))

    assert again.id == first.id and late_in_window.id == first.id
    assert _stored() == [("+16175550134", "new")]
    assert len(texts()) == 1
    assert _created() == 1


def test_another_phone_is_another_request(app, clinicians, sent):
    first = sent()
    other = sent(phone="+16175550199", at=NOW + timedelta(seconds=2))

    assert other.id != first.id
    assert _stored() == [("+16175550134", "new"), ("+16175550199", "new")]
    assert _created() == 2


def test_a_changed_answer_another_clinician_or_a_later_send_is_a_new_request(app, clinicians, sent):
    first = sent()
    changed = sent(preferred_times=["weekends"])
    elsewhere = sent("Okafor")
    later = sent(at=NOW + timedelta(minutes=10, seconds=1))

    assert len({first.id, changed.id, elsewhere.id, later.id}) == 4
    assert _created() == 4


def test_once_the_office_answered_the_same_form_is_a_new_request(app, clinicians, sent):
    first = sent()
    ana = actor_for((clinicians["Rivera"].npi,))
    answer(app.config, ana, first.id, "could_not_reach", NOW + timedelta(minutes=1))
    again = sent(at=NOW + timedelta(minutes=2))

    assert again.id != first.id
    assert _stored() == [("+16175550134", "could_not_reach"), ("+16175550134", "new")]


def _submit_from_another_worker(database_url, npi: str, start: threading.Barrier, failed: list):
    """One worker's app and connection sending the form when every worker is ready."""
    config = {"TESTING": True, "SECRET_KEY": "test-secret-key", "AUDIT_KEY": "0123456789abcdef" * 4}
    worker = create_app({**config, "SQLALCHEMY_DATABASE_URI": database_url})
    with worker.app_context():
        try:
            start.wait()
            submit(worker.config, npi, given(), NOW)
        except Exception as err:  # noqa: BLE001  (reported by the test, not lost in the thread)
            failed.append(repr(err))
        finally:
            db.session.remove()
            db.engine.dispose()


def test_four_copies_sent_at_once_are_one_request(app, clinicians, database_url):
    npi, start, failed = clinicians["Rivera"].npi, threading.Barrier(4), []
    args = (database_url, npi, start, failed)
    workers = [threading.Thread(target=_submit_from_another_worker, args=args) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    db.session.expire_all()
    assert failed == []
    assert _stored() == [("+16175550134", "new")]
    assert _created() == 1
