"""The documents a task may be given, as its picker shows them: grouped by classification, filtered by
words of the title, the owner service or the file name.

The filter works on the server (a plain GET form, without JavaScript); ``document-picker.js`` filters
the same list as one types, reading the folded words each item carries (``Pickable.search``).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import PurePosixPath

from sqlalchemy.orm import Session

from balise.classification import rank
from balise.documents.library import ready_documents
from balise.documents.models import Document
from balise.text import fold

MAX_FILTER_CHARS = 200


@dataclass(frozen=True)
class Pickable:
    """One document of the picker; ``search`` is what the filter's words are looked for in (folded)."""

    id: str
    title: str
    service: str
    classification: str
    search: str


@dataclass(frozen=True)
class PickerGroup:
    classification: str
    documents: tuple[Pickable, ...]


@dataclass(frozen=True)
class Picker:
    """The groups shown, the filter they answer, and how many documents are shown of how many."""

    groups: tuple[PickerGroup, ...]
    query: str
    shown: int
    total: int


def _pickable(document: Document) -> Pickable:
    name = PurePosixPath(document.source.replace("\\", "/")).name
    search = fold(" ".join((document.title, document.owner_service, name)))
    return Pickable(document.id, document.title, document.owner_service, document.classification, search)


def matches(item: Pickable, words: Collection[str]) -> bool:
    """Every word of the filter appears in the document's title, service or file name."""
    return all(word in item.search for word in words)


def pick_documents(session: Session, query: str = "", keep: Collection[str] = ()) -> Picker:
    """The ready documents the session may read, least sensitive group first, titles in order.

    Documents already ticked (``keep``) stay listed whatever the filter, so filtering never unticks one.
    """
    query = " ".join(query.split())[:MAX_FILTER_CHARS]
    words = fold(query).split()
    items = [_pickable(d) for d in ready_documents(session)]
    shown = [item for item in items if item.id in keep or matches(item, words)]
    groups: dict[str, list[Pickable]] = {}
    for item in sorted(shown, key=lambda i: (rank(i.classification), fold(i.title))):
        groups.setdefault(item.classification, []).append(item)
    return Picker(
        tuple(PickerGroup(c, tuple(docs)) for c, docs in groups.items()),
        query,
        len(shown),
        len(items),
    )
