"""The history keeps masked text: the values live in the vault, go with the conversation, and come back
only on their owner's own pages."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import Engine, text

from balise.assistant import Options, conversation_title, delete_conversation, draft, get_conversation, turns
from balise.assistant.history import purge_expired, start_conversation
from balise.assistant.kept import mask_stored
from balise.db import open_session, tenant_session
from balise.db.base import utcnow
from balise.guard.privacy import GuardUnavailable, PlaceholderMap, get_guard
from balise.tenancy import Tenant
from tests.assistant.conftest import requester_of
from tests.support.web import Member

ASKED = "Appeler Marie Tremblay au 514-555-0199, 12 rue des Érables"
RAW = ("Marie", "Tremblay", "514-555-0199", "555-0199", "Érables")


def _stored(engine: Engine, conversation_id: str) -> str:
    """Everything the database holds of a conversation's turns and title, read with plain SQL."""
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT c.title, t.request, t.answer, t.details FROM assistant_conversations c "
                "JOIN assistant_turns t ON t.conversation_id = c.id WHERE c.id = :id"
            ),
            {"id": conversation_id},
        ).all()
    assert rows, "the conversation has no stored turn"
    return json.dumps([[str(value) for value in row] for row in rows], ensure_ascii=False)


def _vault_rows(engine: Engine, conversation_id: str) -> int:
    with engine.connect() as connection:
        return int(
            connection.execute(
                text("SELECT count(*) FROM privacy_vault WHERE conversation_id = :id"),
                {"id": conversation_id},
            ).scalar_one()
        )


def _ask(library: Member, engine: Engine, options: Options = Options()) -> str:
    with tenant_session(library.tenant.id, engine) as session:
        result = draft(session, requester_of(library), kind="email", brief=ASKED, options=options)
        session.commit()
    assert result.status == "done" and result.conversation_id
    return result.conversation_id


def test_the_turns_table_holds_placeholders_and_the_owner_reads_the_values(library: Member, engine: Engine):
    conversation_id = _ask(library, engine)
    stored = _stored(engine, conversation_id)
    assert not [value for value in RAW if value in stored], stored
    assert "[PERSONNE_1]" in stored and "[TELEPHONE_1]" in stored
    assert _vault_rows(engine, conversation_id) == 1
    with tenant_session(library.tenant.id, engine) as session:
        conversation = get_conversation(session, library.user.id, conversation_id)
        (turn,) = turns(session, conversation)
        assert turn.request == ASKED
        assert "Marie Tremblay" in conversation_title(session, conversation)
    page = library.client.get(f"/assistant/historique/{conversation_id}")
    assert page.status_code == 200 and "Marie Tremblay" in page.text and "514-555-0199" in page.text
    listing = library.client.get("/assistant/historique")
    assert "Marie Tremblay" in listing.text


def test_a_continued_conversation_stays_masked(library: Member, engine: Engine):
    conversation_id = _ask(library, engine)
    _ask(library, engine, Options(conversation_id=conversation_id))
    stored = _stored(engine, conversation_id)
    assert not [value for value in RAW if value in stored]
    assert stored.count("[PERSONNE_1]") >= 2 and "[PERSONNE_2]" not in stored


def test_deleting_the_conversation_deletes_its_vault_entry(library: Member, engine: Engine):
    conversation_id = _ask(library, engine)
    assert _vault_rows(engine, conversation_id) == 1
    with tenant_session(library.tenant.id, engine) as session:
        delete_conversation(session, library.tenant.id, library.user.id, conversation_id)
        session.commit()
    assert _vault_rows(engine, conversation_id) == 0


def test_the_retention_purge_deletes_the_vault_entry_too(library: Member, engine: Engine):
    conversation_id = _ask(library, engine)
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE assistant_conversations SET expires_at = :at WHERE id = :id"),
            {"at": utcnow().replace(year=2000), "id": conversation_id},
        )
    with open_session(engine) as session:
        assert purge_expired(session) >= 1
        session.commit()
    assert _vault_rows(engine, conversation_id) == 0


def test_mask_history_masks_rows_kept_before(library: Member, engine: Engine):
    with tenant_session(library.tenant.id, engine) as session:
        tenant = session.get(Tenant, library.tenant.id)
        assert tenant is not None
        conversation = start_conversation(session, tenant, library.user.id, "ask", ASKED)
        session.commit()
        conversation_id = conversation.id
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO assistant_turns (id, tenant_id, conversation_id, position, request, answer, "
                "details, created_at) VALUES ('old-turn-1', :t, :c, 0, :r, :a, :d, :at)"
            ),
            {
                "t": library.tenant.id,
                "c": conversation_id,
                "r": ASKED,
                "a": "Bonjour Marie Tremblay, nous vous rappelons au 514-555-0199.",
                "d": json.dumps({"to_verify": ["Marie Tremblay"]}),
                "at": utcnow(),
            },
        )
    assert "Marie" in _stored(engine, conversation_id)
    with open_session(engine) as session:
        assert mask_stored(session) >= 1
        session.commit()
    stored = _stored(engine, conversation_id)
    assert not [value for value in RAW if value in stored], stored
    with tenant_session(library.tenant.id, engine) as session:
        (turn,) = turns(session, get_conversation(session, library.user.id, conversation_id))
        assert turn.request == ASKED and turn.details["to_verify"] == ["Marie Tremblay"]
    with open_session(engine) as session:
        mask_stored(session)
        session.commit()
    assert _stored(engine, conversation_id) == stored


def test_a_request_the_guard_cannot_read_again_is_not_kept(
    library: Member, engine: Engine, monkeypatch: pytest.MonkeyPatch
):
    guard = get_guard()
    original = guard.mask

    def failing(text: str, placeholders: PlaceholderMap, *args: Any, detect: bool = True, **kw: Any) -> str:
        if detect:
            raise GuardUnavailable("The privacy check took too long.")
        return original(text, placeholders, *args, detect=detect, **kw)

    monkeypatch.setattr(guard, "mask", failing)
    conversation_id = _ask(library, engine)
    stored = _stored(engine, conversation_id)
    assert not [value for value in RAW if value in stored], stored
    assert "n'a pas été conservée" in stored or "was not kept" in stored
