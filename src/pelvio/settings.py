"""Settings from the environment (prefix ``PELVIO_``), checked once at start.

Outside development a missing or default secret key is refused: the app does not start.
"""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from pelvio.errors import ConfigurationError

__all__ = ["DEV_SECRET_KEY", "Settings", "get_settings", "load_settings"]

DEV_SECRET_KEY = "development-only-secret-do-not-use-in-production"  # noqa: S105

Environment = Literal["development", "test", "production"]


class Settings(BaseSettings):
    """Pelvio's settings. Every field can be set as ``PELVIO_<NAME>`` in the environment."""

    model_config = SettingsConfigDict(env_prefix="PELVIO_", extra="ignore", frozen=True)

    env: Environment = "production"
    data_dir: Path = Path("var")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default SQLite file pelvio.db in data_dir"
    )
    secret_key: SecretStr | None = None
    locale: Literal["nl", "en"] = "nl"
    redis_url: str | None = None
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    session_max_age_s: int = Field(default=8 * 3600, ge=60)
    login_max_failures: int = Field(default=5, ge=1)
    login_lockout_s: int = Field(default=15 * 60, ge=1)
    secure_cookies: bool | None = None

    @field_validator("database_url")
    @classmethod
    def _no_blank_url(cls, value: str | None) -> str | None:
        return value or None

    @model_validator(mode="after")
    def _secret_outside_development(self) -> Settings:
        if self.env == "development":
            return self
        key = self.secret_key.get_secret_value() if self.secret_key else ""
        if self.env == "test" and not key:
            return self
        if not key or key == DEV_SECRET_KEY:
            raise ValueError(
                "PELVIO_SECRET_KEY must be set to a long random value outside development "
                f"(for example: {secrets.token_urlsafe(8)}...); "
                "set PELVIO_ENV=development to try Pelvio locally"
            )
        if len(key) < 32:
            raise ValueError("PELVIO_SECRET_KEY must be at least 32 characters long")
        return self

    @property
    def effective_database_url(self) -> str:
        """The database URL, defaulting to SQLite in ``data_dir``."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'pelvio.db').resolve()}"

    @property
    def effective_secret_key(self) -> bytes:
        """The secret key as bytes; in development and tests a fixed, well-known one."""
        if self.secret_key and self.secret_key.get_secret_value():
            return self.secret_key.get_secret_value().encode()
        return DEV_SECRET_KEY.encode()

    @property
    def cookies_secure(self) -> bool:
        """Send cookies only over HTTPS, except in development and tests unless asked."""
        if self.secure_cookies is not None:
            return self.secure_cookies
        return self.env == "production"

    @property
    def recordings_dir(self) -> Path:
        """Where EDF+ recordings are kept, beside the database."""
        return self.data_dir / "recordings"


def load_settings(**overrides: object) -> Settings:
    """Read and check the settings; raise :class:`ConfigurationError` with one clear line."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            where = ".".join(str(part) for part in error["loc"])
            name = f"PELVIO_{where.upper()}" if where else "settings"
            message = str(error["msg"]).removeprefix("Value error, ")
            problems.append(f"{name}: {message}" if where else message)
        raise ConfigurationError("; ".join(problems)) from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return load_settings()
