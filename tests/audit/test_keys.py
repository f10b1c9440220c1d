"""The audit key: from AUDIT_KEY or a 0600 instance file, never a default, never in the database."""

import hashlib
import hmac
import json
import logging
import os
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from audit.hashing import keyed_hash, legacy_hash
from audit.keys import (
    AuditKey,
    AuditKeyError,
    build_keyring,
    forget_keyring,
    instance_key,
    keyring,
    parse_key,
)

KEY = bytes(range(32))
KEY_HEX = KEY.hex()
KEY_B64 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
KEY_B64URL = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"
FIELDS = {
    "at": datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC),
    "actor": "user:7",
    "actor_kind": "user",
    "action": "read",
    "object_type": "referral",
    "object_id": "11",
    "outcome": "ok",
}


@pytest.mark.parametrize("text", [KEY_HEX, KEY_HEX.upper(), KEY_B64, KEY_B64URL, f"  {KEY_HEX}\n"])
def test_hex_and_base64_keys_parse_to_the_same_bytes(text):
    assert parse_key(text) == KEY


@pytest.mark.parametrize(
    "text",
    ["", "00" * 31, "A" * 40, "not a key at all!", "0" * 63 + "!"],
)
def test_short_or_malformed_keys_are_refused(text):
    with pytest.raises(AuditKeyError):
        parse_key(text)


def test_exactly_32_bytes_is_enough():
    assert len(parse_key("ab" * 32)) == 32
    with pytest.raises(AuditKeyError, match="at least 32 bytes, got 31"):
        parse_key("ab" * 31)


def test_a_key_object_refuses_fewer_than_32_bytes_itself():
    assert AuditKey(b"k" * 32).key_id
    with pytest.raises(AuditKeyError):
        AuditKey(b"k" * 31)


def test_the_key_id_is_the_first_8_hex_of_its_sha256():
    assert AuditKey(KEY).key_id == "630dcd29"
    assert AuditKey(KEY).key_id == hashlib.sha256(KEY).hexdigest()[:8]


def test_legacy_hash_is_the_pre_0003_sha256_link():
    # Computed with audit.log.event_hash as it was before migration 0003.
    assert legacy_hash(FIELDS, "0" * 64) == (
        "adc5bd67dacf82c8c1f7913e3e895fa2ab3b38742ba45ffd52f262e8fcded2b8"
    )


def test_keyed_hash_is_hmac_sha256_over_every_field_with_an_event_subkey():
    fields = dict(FIELDS, client_addr="203.0.113.9", account_ref=None, chain_count=1)
    fields["key_id"] = "630dcd29"
    subkey = hmac.digest(KEY, b"bh-directory audit event v1", "sha256")
    payload = [
        "bh-audit/2",
        "2026-01-02T03:04:05.678901Z",
        "user:7",
        "user",
        "read",
        "referral",
        "11",
        "ok",
        "203.0.113.9",
        None,
        1,
        "630dcd29",
        "0" * 64,
    ]
    expected = hmac.new(subkey, json.dumps(payload, separators=(",", ":")).encode(), "sha256")
    assert keyed_hash(fields, "0" * 64, AuditKey(KEY)) == expected.hexdigest()
    assert expected.hexdigest() == (
        "9970e15860e28fb96222d1bac9fbba5fca0ac6a1635349b13675671070969f3f"
    )


@pytest.mark.parametrize("name", ["client_addr", "account_ref", "chain_count", "key_id"])
def test_every_new_field_is_covered_by_the_keyed_hash(name):
    fields = dict(FIELDS, client_addr=None, account_ref=None, chain_count=1, key_id="630dcd29")
    changed = dict(fields, **{name: "x"})
    key = AuditKey(KEY)
    assert keyed_hash(fields, "0" * 64, key) != keyed_hash(changed, "0" * 64, key)


def test_purposes_use_different_subkeys():
    key = AuditKey(KEY)
    assert len({key.mac(purpose, b"same") for purpose in ("event", "checkpoint", "account")}) == 3


def test_without_audit_key_a_0600_random_key_file_is_created_once(app):
    app.config["AUDIT_KEY"] = None
    first = build_keyring(app).current
    path = Path(app.instance_path) / "audit_key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(bytes.fromhex(path.read_text())) == 32
    assert build_keyring(app).current.key_id == first.key_id
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".audit_key")] == []


def test_two_apps_without_a_key_never_share_one(app, tmp_path):
    app.config["AUDIT_KEY"] = None
    mine = build_keyring(app).current.key_id
    app.instance_path = str(tmp_path / "elsewhere")
    assert build_keyring(app).current.key_id != mine


def test_audit_key_wins_over_the_instance_file(app):
    app.config["AUDIT_KEY"] = KEY_B64
    assert build_keyring(app).current.key_id == "630dcd29"
    assert not (Path(app.instance_path) / "audit_key").exists()


def test_a_bad_audit_key_stops_the_app_from_recording(app):
    app.config["AUDIT_KEY"] = "too-short"
    with pytest.raises(AuditKeyError):
        build_keyring(app)


@pytest.mark.parametrize("setting", ["AUDIT_KEY", "AUDIT_PREVIOUS_KEYS"])
def test_a_malformed_key_stops_the_app_at_start_up(setting, database_url):
    from app import create_app

    config = {"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "x", setting: "ab" * 16}
    with pytest.raises(AuditKeyError, match="at least 32 bytes, got 16"):
        create_app(config)


def test_verifying_never_creates_a_key_file(app):
    app.config["AUDIT_KEY"] = None
    ring = keyring(create=False)
    assert ring.current is None and ring.by_id == {}
    assert instance_key(app.instance_path, create=False) is None
    assert not (Path(app.instance_path) / "audit_key").exists()


def test_previous_keys_are_known_by_id(app):
    app.config.update(AUDIT_KEY="cd" * 32, AUDIT_PREVIOUS_KEYS=f"{KEY_HEX}, {'ef' * 40}")
    forget_keyring(app)
    ring = keyring()
    assert ring.current.key_id == AuditKey(bytes.fromhex("cd" * 32)).key_id
    assert set(ring.by_id) == {
        ring.current.key_id,
        "630dcd29",
        AuditKey(bytes.fromhex("ef" * 40)).key_id,
    }


def test_a_world_readable_key_file_is_warned_about(app, caplog, monkeypatch):
    # Alembic's fileConfig (any earlier `db upgrade` in this process) disables existing loggers.
    monkeypatch.setattr(logging.getLogger("audit.keys"), "disabled", False)
    path = Path(app.instance_path) / "audit_key"
    path.parent.mkdir(parents=True)
    path.write_text(KEY_HEX)
    os.chmod(path, 0o640)  # group-readable is already too much
    assert instance_key(app.instance_path, create=True) == KEY
    assert "readable by other users" in caplog.text
