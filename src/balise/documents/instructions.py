"""Instructions hidden in documents: words addressed to an AI, and text a person reading the page cannot see.

A document is data. A sentence in it such as « ignore les consignes précédentes » or a paragraph
written white on white is aimed at the model that will read the passage, not at the person who reads
the document. Such passages are flagged at ingestion, shown to reviewers on the document page, and
never given to a model nor quoted to residents (see ``SearchHit.instructions``).

The patterns are narrow on purpose: they name the model's instructions, its role or its prompt, which
municipal documents do not do, so an ordinary deliberation is never flagged.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

_INSTRUCTION_WORDS = r"(consignes?|instructions?|directives?|regles|prompts?|indications)"
_PATTERNS = (
    # « Ignore les consignes précédentes », « oublie toutes tes instructions », « disregard the above ».
    rf"\b(ignore\w*|oublie\w*|ne tiens? (pas|plus) compte d\w*|fais abstraction d\w*|disregard\w*|forget)\s+"
    rf"(\S+\s+){{0,4}}{_INSTRUCTION_WORDS}\b",
    r"\b(ignore|disregard|forget)\s+(all\s+|any\s+|the\s+)*(previous|prior|above|earlier)\b",
    # A new role or new rules for the assistant.
    r"\b(tu es|vous etes) (maintenant|desormais|a present)\b",
    r"\b(a partir de maintenant|desormais|dorenavant),? (tu|vous) (dois|devez|vas|allez|reponds|repondez)\b",
    r"\b(you are now|from now on,? you|pretend (to be|you are)|fais semblant d'etre)\b",
    rf"\b(nouvelles?|new|vraies?|real)\s+{_INSTRUCTION_WORDS}\s*:",
    r"\b(prompt|message|invite) (systeme|system)\b|\bsystem prompt\b",
    r"\b(revele|affiche|repete|reveal|print|repeat)\w*\s+(\S+\s+){0,3}(ton|tes|votre|vos|your)\s+"
    rf"({_INSTRUCTION_WORDS}|prompt)\b",
    # The markup of chat models' roles.
    r"<\|?(system|im_start|im_end|assistant)\|?>|\[/?inst\]|#{2,}\s*(instruction|system)\b",
)
_INSTRUCTIONS = re.compile("|".join(f"(?:{p})" for p in _PATTERNS))
MIN_HIDDEN_CHARS = 12
"""Shorter hidden runs (a white bullet, a spacer) carry no sentence."""


def _plain(text: str) -> str:
    """Lower case without accents, typographic apostrophes made plain, spaces folded."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'").casefold())
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())


def addresses_a_model(text: str) -> bool:
    """Whether the text gives instructions to an AI (its rules, its role, its prompt)."""
    return _INSTRUCTIONS.search(_plain(text)) is not None


def carries_instructions(text: str, hidden: Sequence[str] = ()) -> bool:
    """Whether a passage addresses a model, or holds text that was hidden from a person reading it."""
    if addresses_a_model(text):
        return True
    plain = _plain(text)
    return any(piece in plain for piece in _pieces(hidden))


def _pieces(hidden: Sequence[str]) -> list[str]:
    """Hidden runs cut at sentence and line ends, so a run split across two passages is found in both."""
    pieces = (_plain(p) for run in hidden for p in _SENTENCE_END.split(run))
    return [piece for piece in pieces if len(piece) >= MIN_HIDDEN_CHARS]


_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+|\n+")
