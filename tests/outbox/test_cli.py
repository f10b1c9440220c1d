"""`flask outbox deliver` and `flask outbox status`."""

from directory.extensions import db
from outbox.queue import enqueue


def test_deliver_sends_what_is_due_and_exits_0(app, runner, receiver):
    enqueue("webhook", receiver.url, "{}", purpose="subscription")
    db.session.commit()
    result = runner.invoke(args=["outbox", "deliver"])
    assert (result.exit_code, result.output) == (0, "sent 1, retrying 0, failed 0\n")


def test_deliver_exits_1_when_a_message_is_given_up(app, runner):
    app.config["OUTBOX_MAX_ATTEMPTS"] = 1
    enqueue("sms", "+16175550123", "Hi", purpose="patient_notice")
    db.session.commit()
    result = runner.invoke(args=["outbox", "deliver"])
    assert (result.exit_code, result.output) == (1, "sent 0, retrying 0, failed 1\n")


def test_status_counts_without_addresses(app, runner, receiver):
    enqueue("webhook", receiver.url, "{}", purpose="subscription")
    enqueue("sms", "+16175550123", "Hi", purpose="patient_notice")
    db.session.commit()
    result = runner.invoke(args=["outbox", "status"])
    assert result.output == "sms\tpatient_notice\tpending\t1\nwebhook\tsubscription\tpending\t1\n"
    assert "6175550123" not in result.output
