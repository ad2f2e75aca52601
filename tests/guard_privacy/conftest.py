"""Privacy-guard fixtures: one guard (spaCy loaded once) for the whole session, and the dev set."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from balise.config import get_settings
from balise.guard.privacy import PrivacyGuard, get_guard
from tests.guard_privacy.devset import generate, write_jsonl


@pytest.fixture(scope="session")
def guard() -> PrivacyGuard:
    return get_guard()


@pytest.fixture(scope="session")
def dev_records() -> list[dict[str, Any]]:
    return generate()


@pytest.fixture(scope="session")
def dev_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_jsonl(tmp_path_factory.mktemp("pii") / "dev.jsonl")


@pytest.fixture
def secret_key(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fixed instance secret, so that the vault never writes a key file into the working tree."""
    monkeypatch.setenv("BALISE_SECRET_KEY", "test-secret-for-the-vault-of-the-privacy-guard")
    get_settings.cache_clear()
    yield "test-secret-for-the-vault-of-the-privacy-guard"
    get_settings.cache_clear()
