"""The outbox: enqueued with the change, tried after the commit, retried with backoff."""

from datetime import UTC, datetime, timedelta

from directory.extensions import db
from outbox.models import OutboxMessage
from outbox.queue import backoff_seconds, deliver_due, deliver_ids, enqueue

T0 = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)


def _hook(receiver, body='{"a": 1}'):
    message = enqueue("webhook", receiver.url + "/hook", body, purpose="test", reference="t:1")
    # Enqueued at T0 on the test's clock, not the wall clock's, so the test holds on any date.
    message.created_at = message.available_at = T0
    db.session.commit()
    return message.id


def test_nothing_is_sent_until_delivery(app, receiver):
    _hook(receiver)
    assert receiver.requests == []
    assert db.session.scalar(db.select(OutboxMessage.status)) == "pending"


def test_deliver_ids_sends_now_and_marks_sent(app, receiver):
    message_id = _hook(receiver)
    done = deliver_ids(app.config, [message_id], now=T0)
    assert done.sent == [message_id]
    row = db.session.get(OutboxMessage, message_id)
    assert (row.status, row.attempts, row.last_error) == ("sent", 1, None)
    assert row.sent_at.replace(tzinfo=UTC) == T0
    assert receiver.requests[0].body == b'{"a": 1}'
    assert receiver.requests[0].path == "/hook"


def test_a_sent_message_is_never_sent_again(app, receiver):
    message_id = _hook(receiver)
    deliver_ids(app.config, [message_id], now=T0)
    deliver_ids(app.config, [message_id], now=T0)
    deliver_due(app.config, now=T0 + timedelta(days=1))
    assert len(receiver.requests) == 1


def test_a_failure_waits_the_backoff_then_succeeds(app, receiver):
    app.config.update(OUTBOX_BACKOFF_SECONDS=30)
    receiver.statuses = [503]
    message_id = _hook(receiver)
    done = deliver_ids(app.config, [message_id], now=T0)
    assert done.retrying == [message_id]
    row = db.session.get(OutboxMessage, message_id)
    assert (row.status, row.attempts, row.last_error) == ("pending", 1, "HTTP 503")
    # One second early: not due; exactly at the backoff: due and sent.
    assert deliver_due(app.config, now=T0 + timedelta(seconds=29)).sent == []
    assert deliver_due(app.config, now=T0 + timedelta(seconds=30)).sent == [message_id]
    assert len(receiver.requests) == 2


def test_backoff_doubles_up_to_the_cap(app):
    app.config.update(OUTBOX_BACKOFF_SECONDS=30, OUTBOX_BACKOFF_MAX_SECONDS=3600)
    waits = [backoff_seconds(app.config, n) for n in range(1, 10)]
    assert waits == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]


def test_given_up_after_the_last_attempt(app, receiver):
    app.config.update(OUTBOX_MAX_ATTEMPTS=3, OUTBOX_BACKOFF_SECONDS=1)
    receiver.statuses = [500, 500, 500, 500]
    message_id = _hook(receiver)
    now = T0
    outcomes = []
    for _ in range(4):
        done = deliver_due(app.config, now=now)
        outcomes.append((done.sent, done.retrying, done.failed))
        now += timedelta(hours=1)
    assert outcomes == [
        ([], [message_id], []),
        ([], [message_id], []),
        ([], [], [message_id]),
        ([], [], []),
    ]
    row = db.session.get(OutboxMessage, message_id)
    assert (row.status, row.attempts) == ("failed", 3)
    assert len(receiver.requests) == 3


def test_an_unreachable_endpoint_is_a_retry_not_an_error(app):
    message = enqueue("webhook", "http://127.0.0.1:9/none", "{}", purpose="test")
    db.session.commit()
    done = deliver_ids(app.config, [message.id], now=T0)
    assert done.retrying == [message.id]
    assert db.session.get(OutboxMessage, message.id).last_error == "ConnectionError"


def test_the_log_names_no_destination(app, caplog):
    message = enqueue("sms", "+16175550123", "Your referral was received.", purpose="test")
    db.session.commit()
    deliver_ids(app.config, [message.id], now=T0)
    assert "not sent: no SMS provider configured" in caplog.text
    assert "6175550123" not in caplog.text and "received" not in caplog.text


def test_due_rows_go_oldest_first_and_at_most_the_limit(app, receiver):
    ids = [_hook(receiver, body=f'{{"n": {n}}}') for n in range(3)]
    assert deliver_due(app.config, now=T0 + timedelta(seconds=1), limit=2).sent == ids[:2]
    assert [r.body for r in receiver.requests] == [b'{"n": 0}', b'{"n": 1}']


def test_an_unknown_channel_is_refused(app):
    try:
        enqueue("pigeon", "roof", "hi", purpose="test")
    except ValueError as err:
        assert str(err) == "channel must be one of email, sms, webhook"
    else:
        raise AssertionError("enqueue took an unknown channel")
