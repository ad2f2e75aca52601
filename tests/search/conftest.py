"""Helpers to put documents into the library and the search index."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine

from balise.db import tenant_session
from balise.documents.chunking import chunk_text
from balise.documents.models import Chunk, Document
from balise.search import index_chunks

AddDocument = Callable[..., str]


@pytest.fixture
def add_document(engine: Engine) -> AddDocument:
    """Stores a document, chunked as the product chunks, indexes it, and returns its id."""

    def add(tenant_id: str, title: str, text: str, classification: str = "public", embed: bool = True) -> str:
        with tenant_session(tenant_id, engine) as session:
            document = Document(
                title=title, source=f"{title}.txt", sha256="0" * 64, classification=classification
            )
            session.add(document)
            session.flush()
            chunks = [
                Chunk(
                    document_id=document.id,
                    ordinal=ordinal,
                    text=draft.text,
                    page=draft.page,
                    heading_path=draft.heading_path,
                    char_start=draft.char_start,
                    char_end=draft.char_end,
                    classification=classification,
                )
                for ordinal, draft in enumerate(chunk_text(text, title=title))
            ]
            session.add_all(chunks)
            session.flush()
            index_chunks(session, chunks, embed=embed)
            session.commit()
            return document.id

    return add
