"""Fixtures of the media tests: speech synthesised by Debian's espeak-ng, a loopback media server."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from balise.config import get_settings
from balise.db import tenant_session
from balise.gateway import register_backend
from balise.tenancy import Tenant
from tests.support.media_server import MediaServer


@pytest.fixture(autouse=True)
def _media_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Short pieces, so that a few seconds of speech make several; a known secret for stored keys."""
    monkeypatch.setenv("BALISE_RECORDING_PIECE_SECONDS", "2.5")
    monkeypatch.setenv("BALISE_SECRET_KEY", "media-tests-key-7f3a9c2e41b8d605e9a1c4f2")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def speech(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], bytes]:
    """WAV bytes of French speech saying ``text``, synthesised by espeak-ng."""
    if shutil.which("espeak-ng") is None:
        pytest.fail("espeak-ng is missing: run scripts/install-system-deps.sh (make test does)")
    folder = tmp_path_factory.mktemp("speech")

    def say(text: str) -> bytes:
        out = folder / f"{abs(hash(text))}.wav"
        subprocess.run(["espeak-ng", "-v", "fr", "-s", "150", "-w", str(out), text], check=True)
        return Path(out).read_bytes()

    return say


@pytest.fixture
def media_server() -> Iterator[MediaServer]:
    with MediaServer() as server:
        yield server


def register_media(
    engine: Engine, tenant: Tenant, server: MediaServer, provider: str, **fields: object
) -> None:
    """Registers ``server`` as the tenant's transcription or image server (approved, on premises)."""
    settings: dict[str, object] = {
        "name": provider,
        "endpoint": server.base_url,
        "model": "whisper-large-v3" if provider == "openai-transcription" else "image-model",
        "hosting": "on_premises",
        "max_classification": "personal",
        "allows_masked_personal": True,
        "provider": provider,
        "max_retries": 0,
        "timeout_s": 60.0,
        **fields,
    }
    with tenant_session(tenant.id, engine) as session:
        register_backend(session, tenant.id, **settings)  # type: ignore[arg-type]
        session.commit()


from tests.support.web import app, make_member  # noqa: E402, F401  (fixtures of the page tests)
