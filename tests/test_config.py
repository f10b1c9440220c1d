"""Settings come from one table and the environment as create_app runs, never at import."""

from datetime import timedelta
from pathlib import Path

import config
from app import create_app

MEMORY_DB = {"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "config-test"}


def test_the_environment_is_read_when_the_app_is_built(monkeypatch):
    monkeypatch.setenv("STALE_AFTER_DAYS", "30")
    first = create_app(MEMORY_DB)
    monkeypatch.setenv("STALE_AFTER_DAYS", "45")
    second = create_app(MEMORY_DB)

    assert first.config["STALE_AFTER_DAYS"] == 30
    assert second.config["STALE_AFTER_DAYS"] == 45


def test_the_callers_config_wins_over_the_environment(monkeypatch):
    monkeypatch.setenv("STALE_AFTER_DAYS", "30")
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")

    app = create_app({**MEMORY_DB, "STALE_AFTER_DAYS": 7})

    assert app.config["STALE_AFTER_DAYS"] == 7
    assert app.config["SECRET_KEY"] == "config-test"


def test_defaults_without_an_environment():
    found = config.from_environ({})

    assert found["STALE_AFTER_DAYS"] == 90
    assert found["SECRET_KEY"] is None
    assert found["SEARCH_BACKEND"] == "embedded" and found["SEARCH_OUTBOX"] is False
    assert found["MAIL_ENABLED"] is False and found["MAIL_PORT"] == 25
    assert found["ELASTICSEARCH_TIMEOUT_SECONDS"] == 1.5
    assert found["WEB_LOCALES"] == ["en", "es"]
    assert found["PERMANENT_SESSION_LIFETIME"] == timedelta(hours=12)
    instance = Path(config.__file__).parent / "instance"
    assert found["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{instance / 'directory.sqlite3'}"
    assert found["INGEST_ALLOWED_DIR"] == str(instance / "imports")
    # Cookies are Secure unless the environment says development (FLASK_DEBUG) or turns it off.
    assert found["SESSION_COOKIE_SECURE"] is True and found["REMEMBER_COOKIE_SECURE"] is True
    assert found["MAX_CONTENT_LENGTH"] == 1048576


def test_values_are_parsed_by_their_kind():
    found = config.from_environ(
        {
            "MAIL_ENABLED": "Yes",
            "SESSION_COOKIE_SECURE": "0",
            "MAIL_TIMEOUT_SECONDS": "2.5",
            "WEB_LOCALES": "en,es,pt",
            "SESSION_MAX_HOURS": "3",
        }
    )

    assert found["MAIL_ENABLED"] is True
    assert found["SESSION_COOKIE_SECURE"] is False
    assert found["MAIL_TIMEOUT_SECONDS"] == 2.5
    assert found["WEB_LOCALES"] == ["en", "es", "pt"]
    assert found["PERMANENT_SESSION_LIFETIME"] == timedelta(hours=3)


def test_the_outbox_follows_the_search_backend_unless_set():
    assert config.from_environ({"SEARCH_BACKEND": "elasticsearch"})["SEARCH_OUTBOX"] is True
    chosen = {"SEARCH_BACKEND": "elasticsearch", "SEARCH_OUTBOX": "off"}
    assert config.from_environ(chosen)["SEARCH_OUTBOX"] is False
    assert config.from_environ({"SEARCH_OUTBOX": "on"})["SEARCH_OUTBOX"] is True


def test_database_urls_name_the_psycopg_driver():
    heroku = config.from_environ({"DATABASE_URL": "postgres://u@db.example/bh"})
    plain = config.from_environ({"DATABASE_URL": "postgresql://u@db.example/bh"})

    assert heroku["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example/bh"
    assert plain["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example/bh"


def test_the_instance_folder_places_the_database_and_imports(tmp_path):
    found = config.from_environ({"INSTANCE_DIR": str(tmp_path)})

    assert found["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'directory.sqlite3'}"
    assert found["INGEST_ALLOWED_DIR"] == str(tmp_path / "imports")
    assert config.from_environ({"INGEST_ALLOWED_DIR": ""})["INGEST_ALLOWED_DIR"] == ""


def test_fixed_settings_ignore_the_environment():
    found = config.from_environ({"API_PAGE_SIZE_MAX": "5", "SESSION_COOKIE_HTTPONLY": "0"})

    assert found["API_PAGE_SIZE_MAX"] == 100
    assert found["SESSION_COOKIE_HTTPONLY"] is True


def test_each_app_gets_its_own_copy_of_mutable_defaults():
    first, second = config.from_environ({}), config.from_environ({})

    first["SQLALCHEMY_ENGINE_OPTIONS"]["pool_size"] = 1

    assert second["SQLALCHEMY_ENGINE_OPTIONS"] == {"pool_pre_ping": True}
