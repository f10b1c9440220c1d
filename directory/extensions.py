"""Flask extensions, created unbound and attached in create_app."""

from flask import request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names so Alembic migrations are the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with the naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True, compare_type=True)
login_manager = LoginManager()
# No app-wide default limit; routes opt in with @limiter.limit. Storage: RATELIMIT_STORAGE_URI.
limiter = Limiter(key_func=get_remote_address)


class BearerAwareCSRF(CSRFProtect):
    """CSRF on every form and cookie-authenticated write; API-key requests are exempt."""

    def protect(self, apply_exemptions=False):
        # Browsers never attach an Authorization header on their own, so a request that
        # carries one cannot be a cross-site forgery; identity then ignores the session.
        if request.headers.get("Authorization", "").lower().startswith("bearer "):
            return
        return super().protect(apply_exemptions=apply_exemptions)


csrf = BearerAwareCSRF()


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    """WAL and enforced foreign keys for the embedded SQLite default."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
