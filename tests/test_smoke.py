from sqlalchemy import select

from directory.models import Clinician


def test_app_boots_with_empty_directory(app, db):
    assert db.session.scalars(select(Clinician)).all() == []
