"""Settings fail fast: no default secret outside development, secrets masked."""

from __future__ import annotations

import pytest

from pelvio.errors import ConfigurationError
from pelvio.settings import DEV_SECRET_KEY, load_settings

STRONG = "k" * 40


def test_production_refuses_a_missing_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PELVIO_SECRET_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="PELVIO_SECRET_KEY must be set"):
        load_settings(env="production")


def test_production_refuses_the_development_secret() -> None:
    with pytest.raises(ConfigurationError, match="PELVIO_SECRET_KEY"):
        load_settings(env="production", secret_key=DEV_SECRET_KEY)


def test_production_refuses_a_short_secret() -> None:
    with pytest.raises(ConfigurationError, match="at least 32 characters"):
        load_settings(env="production", secret_key="short")


def test_production_accepts_a_strong_secret_and_masks_it() -> None:
    settings = load_settings(env="production", secret_key=STRONG)
    assert settings.effective_secret_key == STRONG.encode()
    assert STRONG not in repr(settings)
    assert settings.cookies_secure


def test_development_has_a_default_secret_and_sqlite_under_the_data_dir(tmp_path: object) -> None:
    settings = load_settings(env="development", data_dir=tmp_path)
    assert settings.effective_secret_key == DEV_SECRET_KEY.encode()
    assert settings.effective_database_url == f"sqlite:///{tmp_path}/pelvio.db"
    assert not settings.cookies_secure


def test_environment_variables_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PELVIO_ENV", "development")
    monkeypatch.setenv("PELVIO_LOCALE", "en")
    monkeypatch.setenv("PELVIO_DATABASE_URL", "postgresql://db.example/pelvio")
    settings = load_settings()
    assert settings.locale == "en"
    assert settings.effective_database_url == "postgresql://db.example/pelvio"


def test_a_bad_value_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PELVIO_ENV", "development")
    monkeypatch.setenv("PELVIO_LOCALE", "fr")
    with pytest.raises(ConfigurationError, match="PELVIO_LOCALE"):
        load_settings()
