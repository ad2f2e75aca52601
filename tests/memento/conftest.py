"""Fixtures of the memento tests: the shared web fixtures, and a scoped session."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from balise.db import tenant_session
from tests.support.web import app, make_member  # noqa: F401  (shared web fixtures)


@pytest.fixture
def scoped(engine: Engine) -> Callable[[str], contextmanager[Session]]:  # type: ignore[type-arg]
    """``with scoped(tenant_id) as session``: a session limited to one municipality."""

    @contextmanager
    def opener(tenant_id: str) -> Iterator[Session]:
        with tenant_session(tenant_id, engine) as session:
            yield session

    return opener  # type: ignore[return-value]
