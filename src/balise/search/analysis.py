"""French text analysis for the lexical index: one analyser for both database engines.

Documents and queries go through the same steps (lower case, elisions split, stop words dropped,
Snowball French stemming, accents folded) in Python, and the databases only index the resulting
terms. Doing it here rather than with PostgreSQL's ``french`` configuration gives identical results on
SQLite and PostgreSQL and folds accents without the ``unaccent`` extension, which pgvector-only
servers (such as pgserver's) do not ship.
"""

from __future__ import annotations

import re
from functools import lru_cache

from balise.text import fold, lower, snowball

# Snowball's French stop-word list, folded, plus the elided forms left by splitting on apostrophes.
_STOP_WORDS_TEXT = """
    au aux avec ce ces dans de des du elle en et eux il ils je la le les leur lui ma mais me meme mes
    moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une
    vos votre vous c d j l a m n s t y ete etee etees etes etant etante etants etantes suis es est sommes
    sont serai seras sera serons serez seront serais serait serions seriez seraient etais etait etions
    etiez etaient fus fut fumes futes furent sois soit soyons soyez soient fusse fusses fussions
    fussiez fussent ayant ayante ayantes ayants eu eue eues eus ai as avons avez ont aurai auras aura
    aurons aurez auront aurais aurait aurions auriez auraient avais avait avions aviez avaient eut eumes
    eutes eurent aie aies ait ayons ayez aient eusse eusses eussions eussiez eussent ceci cela cet cette
    ici leurs quel quels quelle quelles sans soi jusqu lorsqu puisqu quoi dont
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())

_WORD = re.compile(r"\w+", re.UNICODE)


@lru_cache(maxsize=200_000)
def _term(word: str) -> str:
    """The indexed form of one lower-cased word: stemmed first (Snowball French needs the accents),
    then folded; an empty string for a stop word."""
    if fold(word) in STOP_WORDS:
        return ""
    return fold(snowball(word))


def terms(text: str) -> list[str]:
    """The terms of a text, in order, as both indexes store them."""
    found = (_term(word) for word in _WORD.findall(lower(text)))
    return [term for term in found if term]


def index_text(text: str) -> str:
    """What the lexical index stores for a passage: its terms, space-separated."""
    return " ".join(terms(text))


def query_terms(query: str) -> list[str]:
    """The distinct terms of a query; they are OR-ed, since AND-only matching loses too much recall."""
    return list(dict.fromkeys(terms(query)))
