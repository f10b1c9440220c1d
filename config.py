"""Configuration from the environment; no default secrets."""

import os
from pathlib import Path

INSTANCE_DIR = Path(os.environ.get("INSTANCE_DIR", Path(__file__).parent / "instance"))


def database_url() -> str:
    """DATABASE_URL, or the embedded SQLite file under instance/."""
    url = os.environ.get("DATABASE_URL")
    if url:
        # Heroku-style URLs name the old driver; SQLAlchemy 2 wants psycopg.
        return url.replace("postgres://", "postgresql+psycopg://", 1).replace(
            "postgresql://", "postgresql+psycopg://", 1
        )
    return f"sqlite:///{INSTANCE_DIR / 'directory.sqlite3'}"


class Config:
    """Settings read once at start-up."""

    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = database_url()
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    JSON_SORT_KEYS = False
    # Days after which an unverified listing is stale (No Surprises Act: verify every 90 days).
    STALE_AFTER_DAYS = int(os.environ.get("STALE_AFTER_DAYS", "90"))
    # Address geocoding is off by default so the embedded default needs no network.
    GEOCODER = os.environ.get("GEOCODER", "none")  # none | nominatim | pelias
    GEOCODER_URL = os.environ.get("GEOCODER_URL", "")
    GEOCODER_USER_AGENT = os.environ.get("GEOCODER_USER_AGENT", "bh-directory")
    GEOCODER_MIN_DELAY_SECONDS = float(os.environ.get("GEOCODER_MIN_DELAY_SECONDS", "1.0"))
    INGEST_BATCH_SIZE = int(os.environ.get("INGEST_BATCH_SIZE", "1000"))
    API_PAGE_SIZE_MAX = 100
