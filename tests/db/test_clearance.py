"""Read clearance is enforced by the session, as tenant scope is: a query cannot forget it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine, func, select

from balise.classification import CLASSIFICATION_ORDER
from balise.db import limit_clearance, tenant_session
from balise.documents.chunking import chunk_text
from balise.documents.models import Chunk, Document
from balise.search import index_chunks, search
from balise.search.models import SearchEntry
from balise.tenancy import Tenant, visible_classifications


def _library(engine: Engine, tenant_id: str) -> dict[str, str]:
    """One indexed document per classification, all about the same subject; {classification: id}."""
    ids = {}
    with tenant_session(tenant_id, engine) as session:
        for level in CLASSIFICATION_ORDER:
            document = Document(
                title=f"Piscine {level}", source=f"{level}.txt", sha256="0" * 64, classification=level
            )
            session.add(document)
            session.flush()
            text = f"Les horaires de la piscine municipale, version {level}."
            chunks = [
                Chunk(
                    document_id=document.id,
                    ordinal=n,
                    text=draft.text,
                    page=None,
                    char_start=draft.char_start,
                    char_end=draft.char_end,
                    classification=level,
                )
                for n, draft in enumerate(chunk_text(text, title=document.title))
            ]
            session.add_all(chunks)
            session.flush()
            index_chunks(session, chunks, embed=False)
            ids[level] = document.id
        session.commit()
    return ids


@pytest.mark.parametrize("role", ["employee", "reviewer", "manager", "privacy_officer", "admin"])
def test_a_cleared_session_reads_only_its_classifications(
    engine: Engine, make_tenant: Callable[..., Tenant], role: str
) -> None:
    tenant = make_tenant()
    ids = _library(engine, tenant.id)
    allowed = set(visible_classifications(role))
    with tenant_session(tenant.id, engine, clearance=allowed) as session:
        documents = set(session.scalars(select(Document.classification)))
        chunks = set(session.scalars(select(Chunk.classification)))
        entries = set(session.scalars(select(SearchEntry.classification)))
        hits = {hit.classification for hit in search(session, "horaires piscine", tenant_id=tenant.id)}
        counted = session.scalar(select(func.count()).select_from(Document))
        got = {level: session.get(Document, doc_id) is not None for level, doc_id in ids.items()}
        joined = set(session.scalars(select(Document.classification).join(Chunk)))
    assert documents == chunks == entries == hits == joined == allowed
    assert counted == len(allowed)
    assert got == {level: level in allowed for level in CLASSIFICATION_ORDER}


def test_an_unscoped_clearance_reads_everything_and_a_clearance_only_shrinks(
    engine: Engine, make_tenant: Callable[..., Tenant]
) -> None:
    tenant = make_tenant()
    _library(engine, tenant.id)
    with tenant_session(tenant.id, engine) as session:
        assert set(session.scalars(select(Document.classification))) == set(CLASSIFICATION_ORDER)
        limit_clearance(session, {"public", "internal"})
        limit_clearance(session, {"internal", "personal"})  # cannot widen again
        assert set(session.scalars(select(Document.classification))) == {"internal"}
        assert {h.classification for h in search(session, "piscine", tenant_id=tenant.id)} == {"internal"}
        narrowed = search(session, "piscine", tenant_id=tenant.id, classifications={"public", "personal"})
        assert narrowed == []  # narrowing a search never widens the session's clearance
