"""Fixtures of the model-gateway tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from balise.config import get_settings
from tests.search.conftest import add_document  # noqa: F401  (fixture)
from tests.support.openai_server import openai_server  # noqa: F401  (fixture)
from tests.support.rerank_server import rerank_server  # noqa: F401  (fixture)


@pytest.fixture(autouse=True)
def _secret_key(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """API keys are encrypted with the deployment secret; tests use their own, never ./var."""
    monkeypatch.setenv("BALISE_SECRET_KEY", "test-secret-key-for-model-registry")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()
