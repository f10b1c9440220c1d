"""Configuration from the environment; no default secrets."""

import os
from datetime import timedelta
from pathlib import Path

TRUTHY = {"1", "true", "yes", "on"}
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
    # Admins may load files from the server only under this folder (empty: uploads only).
    INGEST_ALLOWED_DIR = os.environ.get("INGEST_ALLOWED_DIR", str(INSTANCE_DIR / "imports"))
    # Matching retrieval: the embedded SQL backend, or Elasticsearch at scale (see search/).
    SEARCH_BACKEND = os.environ.get("SEARCH_BACKEND", "embedded")  # embedded | elasticsearch
    # The embedded backend searches an in-memory index derived from the database and kept
    # current from the listing change log; MATCH_INDEX=off searches with SQL every time.
    MATCH_INDEX = os.environ.get("MATCH_INDEX", "memory")  # memory | off
    # Up to this many clinicians the index is built inside the first search; a bigger
    # directory is built in the background while SQL answers (the same results, slower).
    MATCH_INDEX_INLINE_MAX = int(os.environ.get("MATCH_INDEX_INLINE_MAX", "20000"))
    # Changed clinicians re-read into the index inside a search, at most; more: a rebuild.
    MATCH_INDEX_DELTA_MAX = int(os.environ.get("MATCH_INDEX_DELTA_MAX", "2000"))
    # The outbox the sync worker drains; bulk loads skip it by default unless Elasticsearch is on.
    SEARCH_OUTBOX = os.environ.get(
        "SEARCH_OUTBOX", "on" if SEARCH_BACKEND == "elasticsearch" else "off"
    ).lower() in {"1", "true", "yes", "on"}
    SEARCH_FALLBACK = os.environ.get("SEARCH_FALLBACK", "embedded")  # embedded | unavailable
    SEARCH_RETRY_AFTER_SECONDS = int(os.environ.get("SEARCH_RETRY_AFTER_SECONDS", "30"))
    ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
    ELASTICSEARCH_API_KEY = os.environ.get("ELASTICSEARCH_API_KEY", "")
    ELASTICSEARCH_USERNAME = os.environ.get("ELASTICSEARCH_USERNAME", "")
    ELASTICSEARCH_PASSWORD = os.environ.get("ELASTICSEARCH_PASSWORD", "")
    ELASTICSEARCH_CA_CERTS = os.environ.get("ELASTICSEARCH_CA_CERTS", "")
    ELASTICSEARCH_INDEX_ALIAS = os.environ.get("ELASTICSEARCH_INDEX_ALIAS", "bh-clinicians")
    # At most 1.5 s per query so the embedded fallback still answers within 2 s.
    ELASTICSEARCH_TIMEOUT_SECONDS = float(os.environ.get("ELASTICSEARCH_TIMEOUT_SECONDS", "1.5"))
    ELASTICSEARCH_BULK_TIMEOUT_SECONDS = float(
        os.environ.get("ELASTICSEARCH_BULK_TIMEOUT_SECONDS", "60")
    )
    API_PAGE_SIZE_MAX = 100
    # Referral notices by SMTP: a link and a status, never PHI. Off unless MAIL_ENABLED=1.
    MAIL_ENABLED = os.environ.get("MAIL_ENABLED", "0").lower() in {"1", "true", "yes", "on"}
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_FROM = os.environ.get("MAIL_FROM", "referrals@localhost")
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "0").lower() in {"1", "true", "yes", "on"}
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_TIMEOUT_SECONDS = float(os.environ.get("MAIL_TIMEOUT_SECONDS", "5"))
    APP_BASE_URL = os.environ.get("APP_BASE_URL", "http://127.0.0.1:5000")
    # Business days for referral follow-up are counted in this time zone.
    REFERRAL_TIMEZONE = os.environ.get("REFERRAL_TIMEZONE", "America/New_York")
    REFERRAL_EXPIRE_AFTER_DAYS = int(os.environ.get("REFERRAL_EXPIRE_AFTER_DAYS", "30"))
    # Accounts: sessions end after 30 idle minutes or 12 hours, whichever comes first.
    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
    SESSION_MAX_HOURS = int(os.environ.get("SESSION_MAX_HOURS", "12"))
    PERMANENT_SESSION_LIFETIME = timedelta(hours=SESSION_MAX_HOURS)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # Set SESSION_COOKIE_SECURE=1 when served over HTTPS (every deployment but localhost).
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "0").lower() in TRUTHY
    # Flask-Limiter: memory:// per process; redis://host:6379 shares counts across workers.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "5/minute")
    LOGIN_IP_RATE_LIMIT = os.environ.get("LOGIN_IP_RATE_LIMIT", "30/minute")
    # /api/v1 and /fhir: anonymous callers per IP, API keys (and signed-in users) per key.
    PUBLIC_RATE_LIMIT = os.environ.get("PUBLIC_RATE_LIMIT", "120/minute")
    PARTNER_RATE_LIMIT = os.environ.get("PARTNER_RATE_LIMIT", "600/minute")
    RATELIMIT_HEADERS_ENABLED = True  # X-RateLimit-* on every response, Retry-After on 429
    # Audit log (README "Audit log"): the HMAC key is never in the database. AUDIT_KEY is hex or
    # base64 (>= 32 bytes); unset, a random key is created in instance/audit_key. Keys retired
    # by a rotation stay in AUDIT_PREVIOUS_KEYS (comma-separated) so their events still verify.
    AUDIT_KEY = os.environ.get("AUDIT_KEY")
    AUDIT_PREVIOUS_KEYS = os.environ.get("AUDIT_PREVIOUS_KEYS", "")
    # Checkpoints (head id, count, head hash) appended outside the database at least every N
    # events and on worker exit; unset file: instance/audit-checkpoints.log.
    AUDIT_CHECKPOINT_FILE = os.environ.get("AUDIT_CHECKPOINT_FILE")
    AUDIT_CHECKPOINT_EVERY = int(os.environ.get("AUDIT_CHECKPOINT_EVERY", "100"))
    # Also send each checkpoint to syslog (a socket path, or host:port over UDP) to keep a copy
    # off this host.
    AUDIT_SYSLOG = os.environ.get("AUDIT_SYSLOG", "0").lower() in TRUTHY
    AUDIT_SYSLOG_ADDRESS = os.environ.get("AUDIT_SYSLOG_ADDRESS", "/dev/log")
    # Page languages offered (switcher and Accept-Language); catalogs exist for en es pt ht zh vi.
    WEB_LOCALES = os.environ.get("WEB_LOCALES", "en,es").split(",")
    # Map tiles for the results map, e.g. https://tile.example.org/{z}/{x}/{y}.png; empty = none.
    MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "")
    MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION", "")
