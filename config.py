"""Settings: one table of defaults, overridden from the environment when create_app runs.

Nothing is read at import: create_app calls from_environ(os.environ), then applies the config
its caller passes (the tests' dict). Each row is (default, parse): the environment variable of
the same name, when set, goes through `parse`; parse None keeps the value fixed here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from copy import deepcopy
from datetime import timedelta
from pathlib import Path

TRUTHY = {"1", "true", "yes", "on"}
DEFAULT_INSTANCE_DIR = Path(__file__).parent / "instance"


def flag(text: str) -> bool:
    """'1', 'true', 'yes', 'on' (any case) -> True; anything else False."""
    return text.lower() in TRUTHY


def words(text: str) -> list[str]:
    """'en,es' -> ['en', 'es']."""
    return text.split(",")


SETTINGS: dict[str, tuple[object, Callable[[str], object] | None]] = {
    "SECRET_KEY": (None, str),  # no default secret: create_app keeps a random one per instance
    "SQLALCHEMY_ENGINE_OPTIONS": ({"pool_pre_ping": True}, None),
    "JSON_SORT_KEYS": (False, None),
    # Days after which an unverified listing is stale (No Surprises Act: verify every 90 days).
    "STALE_AFTER_DAYS": (90, int),
    # Address geocoding is off by default so the embedded default needs no network.
    "GEOCODER": ("none", str),  # none | nominatim | pelias
    "GEOCODER_URL": ("", str),
    "GEOCODER_USER_AGENT": ("bh-directory", str),
    "GEOCODER_MIN_DELAY_SECONDS": (1.0, float),
    "INGEST_BATCH_SIZE": (1000, int),
    # Admin-page runs: failed when more rows in scope are rejected (the CLI's exit 3), and
    # marked failed when their worker has not written a heartbeat for this many minutes.
    "INGEST_MAX_REJECT_RATE": (0.5, float),
    "INGEST_STALE_MINUTES": (10, int),
    # Admins may load files from the server only under this folder (empty: uploads only);
    # default: INSTANCE_DIR/imports.
    "INGEST_ALLOWED_DIR": (None, str),
    # Matching retrieval: the embedded SQL backend, or Elasticsearch at scale (see search/).
    "SEARCH_BACKEND": ("embedded", str),  # embedded | elasticsearch
    # The embedded backend searches an in-memory index derived from the database and kept
    # current from the listing change log; MATCH_INDEX=off searches with SQL every time.
    "MATCH_INDEX": ("memory", str),  # memory | off
    # Up to this many clinicians the index is built inside the first search; a bigger
    # directory is built in the background while SQL answers (the same results, slower).
    "MATCH_INDEX_INLINE_MAX": (20000, int),
    # Changed clinicians re-read into the index inside a search, at most; more: a rebuild.
    "MATCH_INDEX_DELTA_MAX": (2000, int),
    # Program search from an in-memory index rebuilt when programs change (programs.index);
    # off searches with SQL every time. Up to this many sites the index is built inside the
    # search that finds it stale; more, in a thread while SQL answers.
    "PROGRAM_INDEX": ("memory", str),  # memory | off
    "PROGRAM_INDEX_INLINE_MAX": (20000, int),
    # A serving worker, once started, reads in the background the places of the plans and
    # states reported in the last 30 days (adequacy/warm.py); off: each first report reads.
    "ADEQUACY_WARM": (True, flag),
    # The outbox the sync worker drains; bulk loads skip it by default unless Elasticsearch is on.
    "SEARCH_OUTBOX": (None, flag),  # default: on with SEARCH_BACKEND=elasticsearch
    "SEARCH_FALLBACK": ("embedded", str),  # embedded | unavailable
    "SEARCH_RETRY_AFTER_SECONDS": (30, int),
    "ELASTICSEARCH_URL": ("", str),
    "ELASTICSEARCH_API_KEY": ("", str),
    "ELASTICSEARCH_USERNAME": ("", str),
    "ELASTICSEARCH_PASSWORD": ("", str),
    "ELASTICSEARCH_CA_CERTS": ("", str),
    "ELASTICSEARCH_INDEX_ALIAS": ("bh-clinicians", str),
    # At most 1.5 s per query so the embedded fallback still answers within 2 s.
    "ELASTICSEARCH_TIMEOUT_SECONDS": (1.5, float),
    "ELASTICSEARCH_BULK_TIMEOUT_SECONDS": (60.0, float),
    "API_PAGE_SIZE_MAX": (100, None),
    # Referral notices by SMTP: a link and a status, never PHI. Off unless MAIL_ENABLED=1.
    "MAIL_ENABLED": (False, flag),
    "MAIL_SERVER": ("localhost", str),
    "MAIL_PORT": (25, int),
    "MAIL_FROM": ("referrals@localhost", str),
    "MAIL_USE_TLS": (False, flag),
    "MAIL_USERNAME": ("", str),
    "MAIL_PASSWORD": ("", str),
    "MAIL_TIMEOUT_SECONDS": (5.0, float),
    "APP_BASE_URL": ("http://127.0.0.1:5000", str),
    # The outbox (outbox/): each message is tried right after its commit and then by
    # `flask outbox deliver`, doubling the wait from OUTBOX_BACKOFF_SECONDS per failure.
    "OUTBOX_MAX_ATTEMPTS": (8, int),
    "OUTBOX_BACKOFF_SECONDS": (30, int),
    "OUTBOX_BACKOFF_MAX_SECONDS": (3600, int),
    "OUTBOX_TIMEOUT_SECONDS": (10.0, float),
    # FHIR Subscription endpoints must be https; tests (only) allow http to 127.0.0.1/localhost.
    "FHIR_SUBSCRIPTION_ALLOW_HTTP_LOOPBACK": (False, flag),
    # Events each subscription keeps for $events (ids and numbers only); older ones are dropped.
    "FHIR_SUBSCRIPTION_EVENTS_KEPT": (100, int),
    # Text messages: none (they wait in the outbox) or a Twilio-compatible REST API.
    "SMS_PROVIDER": ("none", str),  # none | twilio
    "SMS_API_URL": ("https://api.twilio.com/2010-04-01", str),
    "SMS_ACCOUNT_SID": ("", str),
    "SMS_AUTH_TOKEN": ("", str),
    "SMS_FROM": ("", str),
    # Patient status notices (referrals.patient_notices): an email's stop link works this long.
    "PATIENT_NOTICE_LINK_DAYS": (90, int),
    # Business days for referral follow-up are counted in this time zone.
    "REFERRAL_TIMEZONE": ("America/New_York", str),
    "REFERRAL_EXPIRE_AFTER_DAYS": (30, int),
    # The funnel reads whole months from referral_rollup; 0 reads every summary row instead
    # (the same figures, slower: for comparing the two and as a way out).
    "FUNNEL_ROLLUP": (True, flag),
    # Accounts: sessions end after 30 idle minutes or 12 hours, whichever comes first.
    "SESSION_IDLE_MINUTES": (30, int),
    "SESSION_MAX_HOURS": (12, int),  # PERMANENT_SESSION_LIFETIME follows it
    "SESSION_COOKIE_HTTPONLY": (True, None),
    "SESSION_COOKIE_SAMESITE": ("Lax", None),
    # Cookies are Secure unless SESSION_COOKIE_SECURE=0 or FLASK_DEBUG=1: every deployment is
    # behind HTTPS. `make run` (plain http on 127.0.0.1) passes SESSION_COOKIE_SECURE=0.
    "SESSION_COOKIE_SECURE": (None, flag),  # default: not FLASK_DEBUG; REMEMBER_ follows it
    # Signed-in sessions and sign-in attempt counts live in Redis when this is set
    # (redis://host:6379/0), else in the database; either way every worker sees the same.
    "SESSION_REDIS_URL": ("", str),
    "SESSION_REDIS_PREFIX": ("bhd:", str),
    # Per address, every sign-in POST (as Flask-Limiter's "N/period" strings).
    "LOGIN_IP_RATE_LIMIT": ("30/minute", str),
    # Per account: after 5 failures in a row it waits 1 minute, doubling per further failure up
    # to 15 minutes; and never more than 100 failures an hour, whatever the addresses.
    "SIGNIN_LOCKOUT_AFTER": (5, int),
    "SIGNIN_LOCKOUT_SECONDS": (60, int),
    "SIGNIN_LOCKOUT_MAX_SECONDS": (900, int),
    "SIGNIN_FAILURES_PER_HOUR": (100, int),
    # Admins must enrol a TOTP authenticator before doing anything else.
    "REQUIRE_ADMIN_MFA": (False, flag),
    "MFA_ISSUER": ("BH Directory", str),
    # Flask-Limiter: memory:// per process; redis://host:6379 shares counts across workers.
    "RATELIMIT_STORAGE_URI": ("memory://", str),
    # /api/v1 and /fhir: anonymous callers per IP, API keys (and signed-in users) per key.
    "PUBLIC_RATE_LIMIT": ("120/minute", str),
    # Problem reports each address may send (on top of the public API budget).
    "PROBLEM_REPORT_RATE_LIMIT": ("10/hour", str),
    # Call-back requests each address may send from profile pages (abuse, not patients).
    "APPOINTMENT_REQUEST_RATE_LIMIT": ("5/hour", str),
    # Code look-ups on the patient's referral status page each address may make (guessing).
    "PATIENT_STATUS_RATE_LIMIT": ("20/hour", str),
    # Posts to the SMS provider's inbound webhook (/sms/inbound) each address may make: well above
    # what the provider's senders forward, it bounds floods of unsigned posts (each one audited).
    "SMS_INBOUND_RATE_LIMIT": ("60/minute", str),
    # Opens and posts of email stop links (/notices/stop/<token>) each address may make: a
    # patient needs two; the HMAC makes guessing hopeless, this bounds the signature checks.
    "NOTICE_STOP_RATE_LIMIT": ("30/hour", str),
    # The shortlist (/my-list): sends each address may make, and the segments a text may take.
    "SHORTLIST_SEND_RATE_LIMIT": ("5/hour", str),
    "SHORTLIST_SMS_MAX_SEGMENTS": (6, int),
    # E-consent: a link to sign works this many days; a release signed through it lasts this
    # many days; each address may open or post consent links this often (guessing).
    "ECONSENT_LINK_DAYS": (7, int),
    "ECONSENT_VALID_DAYS": (365, int),
    "ECONSENT_RATE_LIMIT": ("60/hour", str),
    # Minutes a patient search is kept behind its opaque results address, then deleted.
    "SEARCH_RESULTS_MINUTES": (60, int),
    "PARTNER_RATE_LIMIT": ("600/minute", str),
    "RATELIMIT_HEADERS_ENABLED": (
        True,
        None,
    ),  # X-RateLimit-* on every response, Retry-After on 429
    # --- the HTTP edge (edge/): request limits, headers, proxies ---
    # Request bodies over this many bytes are a 413 (admin ingest uploads: INGEST_UPLOAD_MAX_MB).
    "MAX_CONTENT_LENGTH": (1024 * 1024, int),
    "INGEST_UPLOAD_MAX_MB": (1024, int),
    # Messages on a referral: files up to this many bytes each (PDF, PNG, JPEG, plain text), at
    # most this many per message, the whole upload request up to this many MB; files are kept
    # in ATTACHMENT_DIR (unset: instance/attachments), outside the web root, never served as is.
    "MESSAGE_ATTACHMENT_MAX_BYTES": (10 * 1024 * 1024, int),
    "MESSAGE_ATTACHMENTS_MAX": (3, int),
    "MESSAGE_UPLOAD_MAX_MB": (32, int),
    "ATTACHMENT_DIR": (None, str),
    # A ClamAV daemon that scans every file before it is kept (tcp://host:3310 or
    # unix:///run/clamav/clamd.ctl); unset, files are not scanned. A daemon that does not
    # answer within the timeout refuses the message (503): an unscanned file is never kept.
    "CLAMD_ADDRESS": (None, str),
    "CLAMD_TIMEOUT_SECONDS": (30.0, float),
    # Any JSON value, query argument or form field: at most this deep, this many items per
    # list or object (and values per repeated argument), this many characters per string.
    "INPUT_MAX_DEPTH": (32, int),
    "INPUT_MAX_ITEMS": (1000, int),
    "INPUT_MAX_CHARS": (100000, int),
    # Strict-Transport-Security (sent only when cookies are Secure, i.e. served over HTTPS).
    "HSTS_MAX_AGE": (365 * 24 * 3600, int),
    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto/-Host are believed (0:
    # none, the client talks to gunicorn directly); 1 behind one nginx or load balancer.
    "TRUSTED_PROXIES": (0, int),
    # Audit log (README "Audit log"): the HMAC key is never in the database. AUDIT_KEY is hex or
    # base64 (>= 32 bytes); unset, a random key is created in instance/audit_key. Keys retired
    # by a rotation stay in AUDIT_PREVIOUS_KEYS (comma-separated) so their events still verify.
    "AUDIT_KEY": (None, str),
    "AUDIT_PREVIOUS_KEYS": ("", str),
    # Checkpoints (head id, count, head hash) appended outside the database at least every N
    # events and on worker exit; unset file: instance/audit-checkpoints.log.
    "AUDIT_CHECKPOINT_FILE": (None, str),
    "AUDIT_CHECKPOINT_EVERY": (100, int),
    # Also send each checkpoint to syslog (a socket path, or host:port over UDP) to keep a copy
    # off this host.
    "AUDIT_SYSLOG": (False, flag),
    "AUDIT_SYSLOG_ADDRESS": ("/dev/log", str),
    # Page languages offered (switcher and Accept-Language); catalogs exist for en es pt ht zh vi.
    "WEB_LOCALES": (["en", "es"], words),
    # Map tiles for the results map, e.g. https://tile.example.org/{z}/{x}/{y}.png; empty = none.
    "MAP_TILE_URL": ("", str),
    "MAP_TILE_ATTRIBUTION": ("", str),
    # CDS Hooks (README "CDS Hooks"): the public URL of the app when a proxy rewrites it (the
    # JWT audience and card links; empty: the request's own), the SMART launch cards link to
    # (empty: <base>/smart/launch), seconds per FHIR read of missing prefetch.
    "CDS_HOOKS_BASE_URL": ("", str),
    "CDS_HOOKS_SMART_LAUNCH_URL": ("", str),
    "CDS_HOOKS_FETCH_TIMEOUT": (1.0, float),
    # SMART EHR launch (docs/integrations/smart.md): minutes from /smart/launch to its callback,
    # and seconds to wait for the EHR's discovery, token and FHIR answers.
    "SMART_LAUNCH_MINUTES": (10, int),
    "SMART_HTTP_TIMEOUT_SECONDS": (5.0, float),
}


def database_url(environ: Mapping[str, str], instance_dir: Path) -> str:
    """DATABASE_URL, or the embedded SQLite file under the instance folder."""
    url = environ.get("DATABASE_URL")
    if url:
        # Heroku-style URLs name the old driver; SQLAlchemy 2 wants psycopg.
        return url.replace("postgres://", "postgresql+psycopg://", 1).replace(
            "postgresql://", "postgresql+psycopg://", 1
        )
    return f"sqlite:///{instance_dir / 'directory.sqlite3'}"


def from_environ(environ: Mapping[str, str]) -> dict:
    """Every setting: the table's defaults, with what `environ` sets parsed over them."""
    found = {}
    for name, (default, parse) in SETTINGS.items():
        raw = environ.get(name) if parse is not None else None
        found[name] = deepcopy(default) if raw is None else parse(raw)
    instance_dir = Path(environ.get("INSTANCE_DIR", DEFAULT_INSTANCE_DIR))
    found["SQLALCHEMY_DATABASE_URI"] = database_url(environ, instance_dir)
    if found["INGEST_ALLOWED_DIR"] is None:
        found["INGEST_ALLOWED_DIR"] = str(instance_dir / "imports")
    if found["SEARCH_OUTBOX"] is None:
        found["SEARCH_OUTBOX"] = found["SEARCH_BACKEND"] == "elasticsearch"
    found["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=found["SESSION_MAX_HOURS"])
    found["DEVELOPMENT"] = flag(environ.get("FLASK_DEBUG", "0"))
    if found["SESSION_COOKIE_SECURE"] is None:
        found["SESSION_COOKIE_SECURE"] = not found["DEVELOPMENT"]
    found["REMEMBER_COOKIE_SECURE"] = found["SESSION_COOKIE_SECURE"]
    return found
