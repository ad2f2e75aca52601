"""The municipality's own public contact details: known public information, never masked.

City hall's phone, e-mail, counter address and website look exactly like personal information to the
recognizers (« Adresses × 4 » on a question about city hall). The tenant's settings list them
(:func:`balise.tenancy.public_contact`); this module finds them in a text, however they are written
(« 819 555-0100 », « +1 (819) 555 0100 », « 100 place de l'Hôtel-de-Ville »), so the guard leaves
them as they are and the preview shows them as public.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

_SEPARATORS = r"[\s./()-]*"


def _phone_pattern(value: str) -> str | None:
    digits = re.sub(r"\D", "", value)
    if len(digits) < 7:
        return None
    if digits.startswith("0"):
        prefix, core = r"(?:(?:\+|00)41[\s.-]*(?:\(0\)[\s.-]*)?|0)", digits[1:]
    elif digits.startswith("41") and len(digits) == 11:
        prefix, core = r"(?:(?:\+|00)41[\s.-]*(?:\(0\)[\s.-]*)?|0)", digits[2:]
    elif digits.startswith("1") and len(digits) == 11:
        prefix, core = r"(?:\+?1[\s.-]*)?", digits[1:]
    else:
        prefix, core = r"(?:\+?1[\s.-]*)?" if len(digits) == 10 else "", digits
    return rf"(?<![\d+]){prefix}\(?" + _SEPARATORS.join(core) + r"(?!\d)"


def _words_pattern(value: str) -> str | None:
    """The value's words in order, whatever the spacing, commas and apostrophes between them."""
    words = re.findall(r"\w+", value)
    if not words:
        return None
    return r"(?<!\w)" + r"[\W_]*".join(re.escape(word) for word in words) + r"(?!\w)"


@lru_cache(maxsize=64)
def _pattern(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    alternatives: list[str | None] = []
    for term in terms:
        if "@" in term or term.lower().startswith(("http", "www.")):
            alternatives.append(r"(?<![\w.+-])" + re.escape(term) + r"(?![\w-])")
        elif re.fullmatch(r"[\d\s.+()/-]+", term):
            alternatives.append(_phone_pattern(term))
        else:
            # A postal address: all of it, and its street part alone (« 100, place de l'Hôtel-de-Ville »).
            parts = [part.strip() for part in term.split(",")]
            street = ", ".join(parts[:2]) if parts and parts[0].isdigit() else parts[0]
            alternatives += [_words_pattern(term), _words_pattern(street)]
    kept = sorted({a for a in alternatives if a}, key=len, reverse=True)
    return re.compile("|".join(kept), re.IGNORECASE) if kept else None


def public_spans(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """Where the public contact values occur in ``text``, in order, without overlaps."""
    pattern = _pattern(tuple(terms))
    if pattern is None:
        return []
    return [match.span() for match in pattern.finditer(text) if match.end() > match.start()]
