"""Tenant-B objects for the assistant's path parameters: a source passage and a conversation."""

from __future__ import annotations

from sqlalchemy.orm import Session

from balise.assistant.history import start_conversation
from balise.documents import Chunk, Document
from balise.tenancy import Tenant, User
from tests.tenancy.isolation import Factory


def _chunk(session: Session, tenant: Tenant, user: User) -> str:
    document = Document(
        tenant_id=tenant.id,
        title="Dossier secret de B",
        source="b-secret.txt",
        sha256="0" * 64,
        classification="public",
        status="ready",
    )
    session.add(document)
    session.flush()
    chunk = Chunk(
        tenant_id=tenant.id,
        document_id=document.id,
        ordinal=0,
        text="Passage secret de B.",
        page=1,
        char_start=0,
        char_end=20,
        classification="public",
    )
    session.add(chunk)
    session.flush()
    return chunk.id


def _conversation(session: Session, tenant: Tenant, user: User) -> str:
    return start_conversation(session, tenant, user.id, "ask", "Question secrète de B").id


FACTORIES: dict[str, Factory] = {
    "chunk_id": _chunk,
    "conversation_id": _conversation,
}
