"""Review fixtures: signed-in members, and outputs saved as the assistant saves them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine

from balise.db import open_session
from balise.review import Output, save_output
from tests.support.web import Member, app, make_member  # noqa: F401

PROVENANCE: dict[str, Any] = {
    "model": "extractif",
    "backend": "generative",
    "sources": [{"document_id": "d1", "title": "Règlement 2024-12", "page": 2}],
    "masked": {"PERSON": 1},
    "created_at": "2026-11-20T10:00:00+00:00",
}


@pytest.fixture
def make_output(engine: Engine) -> Callable[..., Output]:
    def factory(
        member: Member, text: str = "Le stationnement est interdit la nuit.", **fields: Any
    ) -> Output:
        with open_session(engine) as session:
            output = save_output(
                session,
                tenant_id=member.tenant.id,
                author_id=member.user.id,
                task=fields.pop("task", "draft"),
                text=text,
                purpose=fields.pop("purpose", "internal"),
                provenance=fields.pop("provenance", PROVENANCE),
                **fields,
            )
            session.commit()
            return output

    return factory
