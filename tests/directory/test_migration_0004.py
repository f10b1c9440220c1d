"""Migration 0004_zips gives every stored location its precision: source point, ZCTA or none."""

from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from app import create_app
from directory.extensions import db

ROWS = {
    # id: (postal_code, lat, lon)
    1: ("02139", 42.362391, -71.102336),  # exactly the ZCTA centroid: placed by ZIP
    2: ("02139", 42.3601, -71.0942),  # a point the source gave
    3: ("06030", None, None),  # not placed before this migration
}


def test_existing_locations_get_their_precision_on_upgrade(tmp_path):
    url = f"sqlite:///{tmp_path / 'before.sqlite3'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x"})
    app.instance_path = str(tmp_path)
    with app.app_context():
        upgrade(revision="0003_part2")
        with db.engine.begin() as conn:
            for id_, (postal, lat, lon) in ROWS.items():
                conn.execute(
                    text(
                        "INSERT INTO location (id, postal_code, lat, lon, accessibility, hours, "
                        "evening_hours, weekend_hours, source, created_at, updated_at) VALUES "
                        "(:id, :postal, :lat, :lon, '[]', '[]', 0, 0, 'nppes', '2026-01-01', "
                        "'2026-01-01')"
                    ),
                    {"id": id_, "postal": postal, "lat": lat, "lon": lon},
                )
        upgrade()
        db.engine.dispose()
    engine = create_engine(url)
    with engine.connect() as conn:
        found = dict(conn.execute(text("SELECT id, geo_precision FROM location")).all())
    engine.dispose()
    assert found == {1: "zcta_centroid", 2: "address", 3: "none"}
