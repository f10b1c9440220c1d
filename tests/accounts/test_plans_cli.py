"""`flask plans`: plans' member-id formats set one by one or loaded from a CSV, with a source;
every change audited as the system (the CLI operator), a refused one not at all."""

from __future__ import annotations

from sqlalchemy import select

from audit.log import verify_chain
from audit.models import AuditEvent
from directory.models import Network


def _plans(db):
    db.session.add_all(
        [
            Network(id="tufts-like", name="Tufts-like HMO", kind="plan"),
            Network(id="bay-ppo", name="Bay PPO", kind="plan"),
            Network(id="a-net", name="A network", kind="network"),
        ]
    )
    db.session.commit()


def _audited(db) -> list[tuple[str, str, str, str, str]]:
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))
    return [(e.actor, e.actor_kind, e.action, e.object_type, e.object_id) for e in events]


def test_a_format_is_set_with_its_source(runner, db):
    _plans(db)
    args = ["plans", "member-id-format", "tufts-like", r"^T\d{9}$", "--source", "ID-card guide"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    plan = db.session.get(Network, "tufts-like")
    assert (plan.member_id_format, plan.member_id_format_source) == (r"^T\d{9}$", "ID-card guide")
    listed = runner.invoke(args=["plans", "list"]).output
    assert "tufts-like  ^T\\d{9}$  (ID-card guide)" in listed
    assert "bay-ppo  no member-id format" in listed and "a-net" not in listed
    cleared = runner.invoke(args=["plans", "member-id-format", "tufts-like", "--clear"])
    assert cleared.exit_code == 0 and db.session.get(Network, "tufts-like").member_id_format is None
    assert _audited(db) == [
        ("system", "system", "member_id_format_set", "plan", "tufts-like"),
        ("system", "system", "member_id_format_clear", "plan", "tufts-like"),
    ]
    assert verify_chain() == (True, 2, None)


def test_a_bad_format_no_source_or_a_network_is_refused(runner, db):
    _plans(db)
    for args, words in (
        (["tufts-like", r"^\w+$", "--source", "x"], "starts with ^"),
        (["tufts-like", r"^T\d{9}$"], "say where the format comes from"),
        (["a-net", r"^T\d{9}$", "--source", "x"], "no plan 'a-net'"),
    ):
        result = runner.invoke(args=["plans", "member-id-format", *args])
        assert result.exit_code == 1 and words in result.output, result.output
    assert db.session.get(Network, "tufts-like").member_id_format is None
    assert _audited(db) == []


def test_a_csv_loads_all_rows_or_none(runner, db, tmp_path):
    _plans(db)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "plan_id,member_id_format,source\n"
        "tufts-like,^T\\d{9}$,card guide 2026\n"
        "bay-ppo,^bay\\d{6}$,card guide 2026\n",
        "utf-8",
    )
    refused = runner.invoke(args=["plans", "load-member-id-formats", str(bad)])
    assert refused.exit_code == 1 and "line 3:" in refused.output and "line 2" not in refused.output
    assert db.session.get(Network, "tufts-like").member_id_format is None
    assert _audited(db) == []
    good = tmp_path / "good.csv"
    good.write_text(bad.read_text("utf-8").replace("^bay", "^BAY"), "utf-8")
    loaded = runner.invoke(args=["plans", "load-member-id-formats", str(good)])
    assert loaded.exit_code == 0 and "2 plan(s)" in loaded.output
    assert db.session.get(Network, "bay-ppo").member_id_format == r"^BAY\d{6}$"
    assert db.session.get(Network, "bay-ppo").member_id_format_source == "card guide 2026"
    assert _audited(db) == [
        ("system", "system", "member_id_format_set", "plan", "tufts-like"),
        ("system", "system", "member_id_format_set", "plan", "bay-ppo"),
    ]
