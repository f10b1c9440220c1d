"""GET /api/v1/changes: listings changed since a moment, cursor-paged, child changes included."""

from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from sqlalchemy import update

from directory.models import Clinician, ClinicianLocation, Location, Network, NetworkParticipation

URL = "/api/v1/changes"
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def _since(moment: datetime) -> str:
    return f"{URL}?since={quote(moment.isoformat())}"


def _age_everything(db, moment: datetime) -> None:
    """Pretend every listing last changed at `moment`."""
    db.session.execute(update(Clinician).values(updated_at=moment))
    db.session.commit()


def _npis(client, url: str) -> list[str]:
    body = client.get(url).get_json()
    return [entry["npi"] for entry in body["results"]]


def _clinician(db, npi: str) -> Clinician:
    return db.session.scalar(db.select(Clinician).where(Clinician.npi == npi))


def test_every_listing_since_the_start(client, directory_data):
    body = client.get(_since(EPOCH)).get_json()
    assert body["total"] == 5  # the inactive Aaron too: it says it left
    assert {e["npi"] for e in body["results"]} == {
        directory_data.ann,
        directory_data.bob,
        directory_data.cara,
        directory_data.lee,
        directory_data.gone,
    }
    gone = next(e for e in body["results"] if e["npi"] == directory_data.gone)
    assert gone["active"] is False
    assert gone["href"] == f"/api/v1/clinicians/{directory_data.gone}"
    moments = [e["changed_at"] for e in body["results"]]
    assert moments == sorted(moments)


def test_only_listings_changed_after_since(client, db, directory_data):
    _age_everything(db, EPOCH)
    cut = datetime.now(UTC) - timedelta(seconds=1)
    assert _npis(client, _since(cut)) == []
    _clinician(db, directory_data.bob).pronouns = "he/him"
    db.session.commit()
    assert _npis(client, _since(cut)) == [directory_data.bob]


def test_child_location_and_participation_changes_count(client, db, directory_data):
    d = directory_data
    _age_everything(db, EPOCH)
    cut = datetime.now(UTC) - timedelta(seconds=1)
    # A participation ends (Cara), a location's phone changes (Ann practises there).
    cara = _clinician(db, d.cara)
    cara.participations.clear()
    db.session.get(Location, d.boston_id).phone = "617-555-0111"
    db.session.commit()
    assert sorted(_npis(client, _since(cut))) == sorted([d.ann, d.cara])


def test_a_new_link_does_not_touch_other_clinicians_at_the_place(client, db, directory_data):
    d = directory_data
    _age_everything(db, EPOCH)
    cut = datetime.now(UTC) - timedelta(seconds=1)
    lee = _clinician(db, d.lee)
    lee.locations.append(ClinicianLocation(location=db.session.get(Location, d.boston_id)))
    lee.participations.append(NetworkParticipation(network=db.session.get(Network, "AcmeStdNet")))
    db.session.commit()
    assert _npis(client, _since(cut)) == [d.lee]


def test_cursor_pages_cover_every_change_once(client, db, directory_data):
    _age_everything(db, EPOCH + timedelta(days=1))
    seen, url, pages = [], _since(EPOCH) + "&limit=2", 0
    while url:
        response = client.get(url)
        body = response.get_json()
        seen += [e["npi"] for e in body["results"]]
        if body["next"]:
            assert 'rel="next"' in response.headers["Link"]
        url, pages = body["next"], pages + 1
    assert pages == 3
    assert len(seen) == len(set(seen)) == 5
    # Resuming after the last entry finds nothing until something changes.
    assert client.get(body["resume"]).get_json()["results"] == []
    _clinician(db, directory_data.ann).wait_days = 3
    db.session.commit()
    assert _npis(client, body["resume"]) == [directory_data.ann]


def test_a_listing_that_changes_while_paging_moves_to_the_end(client, db, directory_data):
    _age_everything(db, EPOCH + timedelta(days=1))
    first = client.get(_since(EPOCH) + "&limit=2").get_json()
    moved = first["results"][0]["npi"]
    _clinician(db, moved).wait_days = 9
    db.session.commit()
    rest, url = [], first["next"]
    while url:
        body = client.get(url).get_json()
        rest += [e["npi"] for e in body["results"]]
        url = body["next"]
    assert rest[-1] == moved
    assert len(rest) == 4


def test_bad_arguments(client):
    for query, field in [
        ("", "since"),
        ("since=yesterday", "since"),
        ("since=2020-01-01T00:00:00Z&limit=0", "limit"),
        ("since=2020-01-01T00:00:00Z&limit=101", "limit"),
        ("since=2020-01-01T00:00:00Z&cursor=%21%21", "cursor"),
        ("since=2020-01-01T00:00:00Z&cursor=bm90LWEtY3Vyc29y", "cursor"),
        ("since=0001-01-01T00:00:00%2B05:00", "since"),
    ]:
        response = client.get(f"{URL}?{query}")
        assert response.status_code == 400, query
        assert list(response.get_json()["errors"]) == [field], query


def test_naive_since_is_utc(client, db, directory_data):
    _age_everything(db, datetime(2021, 6, 1, 12, tzinfo=UTC))
    assert len(_npis(client, f"{URL}?since=2021-06-01T11:59:59")) == 5
    assert _npis(client, f"{URL}?since=2021-06-01T12:00:00") == []
