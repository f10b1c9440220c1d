"""Searches kept behind an opaque id: digest only, gone at the expiry, purged by every save."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from matching.saved_searches import SavedSearch, load, purge_expired, save

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def _rows(db) -> int:
    return db.session.scalar(select(func.count()).select_from(SavedSearch))


def test_a_saved_search_comes_back_until_its_expiry(db):
    token = save({"postal_code": "02139", "concerns": ["anxiety"]}, NOW, HOUR)
    assert len(token) == 43
    row = db.session.scalars(select(SavedSearch)).one()
    assert len(row.digest) == 64 and token not in row.digest
    assert load(token, NOW + HOUR - timedelta(seconds=1)) == {
        "postal_code": "02139",
        "concerns": ["anxiety"],
    }


def test_exactly_at_the_expiry_it_is_gone_and_deleted(db):
    token = save({"postal_code": "02139"}, NOW, HOUR)
    assert load(token, NOW + HOUR) is None
    assert _rows(db) == 0
    assert load(token, NOW) is None  # deleted, not merely hidden


def test_ids_that_are_not_ours_find_nothing(db):
    save({"postal_code": "02139"}, NOW, HOUR)
    assert load("x" * 43, NOW) is None
    assert load("short", NOW) is None
    assert load("é" * 43, NOW) is None


def test_every_save_purges_expired_searches(db):
    save({"postal_code": "02139"}, NOW, HOUR)
    kept = save({"postal_code": "02140"}, NOW, 3 * HOUR)
    save({"postal_code": "02141"}, NOW + HOUR, HOUR)  # the first has expired by now
    assert _rows(db) == 2
    assert load(kept, NOW + HOUR)["postal_code"] == "02140"


def test_purge_expired_counts_what_it_deleted(db):
    save({"postal_code": "02139"}, NOW, HOUR)
    save({"postal_code": "02140"}, NOW, 2 * HOUR)
    assert purge_expired(NOW + HOUR) == 1
    db.session.commit()
    assert _rows(db) == 1


def test_the_purge_command_deletes_expired_searches(db, runner):
    save({"postal_code": "02140"}, datetime.now(UTC), HOUR)
    old = SavedSearch(digest="0" * 64, answers={}, expires_at=datetime.now(UTC) - HOUR)
    db.session.add(old)
    db.session.commit()
    result = runner.invoke(args=["searches", "purge"])
    assert result.exit_code == 0
    assert result.output == "1 expired searches deleted\n"
    assert _rows(db) == 1
