"""Corrections that need no model: spacing, punctuation spacing, capitals and doubled words.

They are what the revise task can still do safely when no generative model is available; anything
about spelling or wording is left to the person, and the result says so.
"""

from __future__ import annotations

import re

_SPACES = re.compile(r"[ \t]{2,}")
_BEFORE_COMMA = re.compile(r"[ \t]+([,.])(?!\d)")
_AFTER_PUNCT = re.compile(r"([,;:!?])(?=[^\W\d_])")
_AFTER_STOP = re.compile(r"(?<=[a-zà-ÿ])\.(?=[A-ZÀ-Ý])")
_SENTENCE_START = re.compile(r"(^|[.!?]\s+)([a-zà-ÿ])", re.MULTILINE)
_DOUBLED = re.compile(r"\b(\w+)(\s+)\1\b", re.IGNORECASE)


def tidy(text: str) -> str:
    """The text with typography corrected; words themselves are never changed, only doubled ones removed."""
    lines = []
    for line in text.splitlines():
        line = _SPACES.sub(" ", line).strip()
        line = _BEFORE_COMMA.sub(r"\1", line)
        line = _AFTER_PUNCT.sub(r"\1 ", line)
        line = _AFTER_STOP.sub(". ", line)
        line = _DOUBLED.sub(lambda m: m.group(1) if not m.group(1).isdigit() else m.group(0), line)
        line = _SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), line)
        lines.append(line)
    return "\n".join(lines)
