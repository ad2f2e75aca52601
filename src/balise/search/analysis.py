"""French text analysis for the lexical index: one analyser for both database engines.

Documents and queries go through the terms of :mod:`balise.text` (elisions split, stop words dropped,
accents folded, Snowball French stemming) in Python, and the databases only index the resulting
terms. Doing it here rather than with PostgreSQL's ``french`` configuration gives identical results on
SQLite and PostgreSQL and folds accents without the ``unaccent`` extension, which pgvector-only
servers (such as pgserver's) do not ship.
"""

from __future__ import annotations

from balise.normalisation import normalise
from balise.text import fold, terms

__all__ = ["fold", "index_text", "query_terms", "terms"]


def index_text(text: str) -> str:
    """What the lexical index stores for a passage: its terms, space-separated."""
    return " ".join(terms(normalise(text).text))


def query_terms(query: str) -> list[str]:
    """The distinct terms of a query; they are OR-ed, since AND-only matching loses too much recall."""
    return list(dict.fromkeys(terms(normalise(query).text)))
