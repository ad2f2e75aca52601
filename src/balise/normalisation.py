"""One reading of a person's text for every check that looks at it: privacy, policy, scope, search.

A value hidden with characters a reader does not see (a zero-width space inside a phone number, a
non-breaking space between its groups, a soft hyphen inside a social insurance number, a right-to-left
override), written in full-width forms (``ｌｕｃｉｅ＠ｅｘａｍｐｌｅ．ｃｏｍ``) or with Cyrillic and Greek
letters that look Latin is still the same value to a person, so every check reads the text the way a
person does: NFKC, invisible characters removed, every Unicode space a plain space, look-alike letters
inside Latin words read as their Latin twins.

The result keeps, for each of its characters, where it came from in the original, so that a finding
on the normalised text is mapped back to the exact original characters (a mask then replaces the
invisible characters inside and at the edges of a value too, and restoring gives back the original).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_INVISIBLE_EXTRA_CLASS = (
    "\u034f"  # combining grapheme joiner
    "\u115f\u1160\u3164\uffa0"  # Hangul fillers, blank glyphs
    "\ufe00-\ufe0f\U000e0100-\U000e01ef"  # variation selectors and their supplement
)
_INVISIBLE_EXTRA = frozenset(
    "\u034f\u115f\u1160\u3164\uffa0"
    + "".join(map(chr, range(0xFE00, 0xFE10)))
    + "".join(map(chr, range(0xE0100, 0xE01F0)))
)
"""Invisible characters outside the format category (Cf), which holds the zero-width characters
(U+200B–U+200D, U+2060, U+FEFF), the bidirectional controls (U+200E/F, U+202A–U+202E, U+2066–U+2069,
U+061C), the soft hyphen (U+00AD) and the tag characters (U+E0000–U+E007F) that smuggle text."""
_FORMAT = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
)
"""Every format character (Cf) of Unicode 15, as a character class for the fast test below
(tests/test_normalisation.py checks the list against the running Python's Unicode database)."""

_LOOKALIKES = {
    # Cyrillic
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i",
    "ј": "j", "ԁ": "d", "ԛ": "q", "ԝ": "w", "һ": "h", "ӏ": "l", "ү": "y",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T",
    "У": "Y", "Х": "X", "Ѕ": "S", "І": "I", "Ј": "J", "Ԛ": "Q", "Ԝ": "W", "Ү": "Y", "Ӏ": "I", "Һ": "H",
    # Greek
    "α": "a", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ϲ": "c",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O",
    "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "Ϲ": "C",
    # Latin letters of the phonetic alphabet
    "ɡ": "g", "ɑ": "a", "ı": "i",
}  # fmt: skip
"""Cyrillic and Greek letters drawn like a Latin letter (after NFKC, which already reads full-width
and mathematical letters as plain ones)."""
LOOKALIKES = dict(_LOOKALIKES)
_TWINS = str.maketrans(_LOOKALIKES)
_LATIN = re.compile(r"[A-Za-z0-9\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]")
_WORD = re.compile(r"\w+")
_LOOKALIKE = re.compile("[" + "".join(_LOOKALIKES) + "]")
_NEEDS_WORK = re.compile(
    "[\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
    + _FORMAT
    + _INVISIBLE_EXTRA_CLASS
    + "".join(_LOOKALIKES)
    + "]"
)
"""A fast test: a text in NFKC form with none of these characters is its own normalisation (ranges,
not lists of characters, keep it at about 15 µs per 1,000 characters)."""


def invisible(char: str) -> bool:
    """Whether ``char`` shows nothing and means nothing to a reader (it is removed)."""
    return unicodedata.category(char) == "Cf" or char in _INVISIBLE_EXTRA


@dataclass(frozen=True)
class Normalised:
    """The normalised ``text`` of ``original``, and where each of its characters came from.

    ``starts[i]:ends[i]`` is the original range character ``i`` was read from (several characters
    share one range when NFKC expands one, « ﬁ » → « fi »). Empty tuples mean the text is unchanged.
    """

    original: str
    text: str
    starts: tuple[int, ...] = ()
    ends: tuple[int, ...] = ()

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """The original range behind ``text[start:end]``, widened over the invisible characters that
        touch it, so that masking it leaves nothing hidden behind at its edges."""
        if not self.starts:
            return start, end
        if start >= end:
            position = self.starts[start] if start < len(self.starts) else len(self.original)
            return position, position
        first, last = min(self.starts[start:end]), max(self.ends[start:end])
        while first > 0 and invisible(self.original[first - 1]):
            first -= 1
        while last < len(self.original) and invisible(self.original[last]):
            last += 1
        return first, last

    def from_original(self, start: int, end: int) -> tuple[int, int]:
        """The normalised range that holds every character read from ``original[start:end]``."""
        if not self.starts:
            return start, end
        inside = [
            i for i, (s, e) in enumerate(zip(self.starts, self.ends, strict=True)) if s < end and start < e
        ]
        if not inside:
            position = next((i for i, s in enumerate(self.starts) if s >= start), len(self.text))
            return position, position
        return min(inside), max(inside) + 1


def _foreign(word: str) -> int:
    """Letters of the word that are neither Latin nor look-alikes (a real Cyrillic or Greek word)."""
    return sum(1 for c in word if c.isalpha() and not _LATIN.match(c) and c not in _LOOKALIKES)


def _read_lookalikes(text: str) -> str:
    """Look-alike letters read as their Latin twins inside words that are otherwise Latin: a word
    mixing them with Latin letters or digits, or made only of them next to such a word (« о », the
    « са » of an e-mail address), however many of them follow one another."""
    if not _LOOKALIKE.search(text):
        return text
    words = list(_WORD.finditer(text))
    latin = [bool(_LATIN.search(w.group(0))) and not _foreign(w.group(0)) for w in words]
    only_lookalikes = [not latin[i] and not _foreign(w.group(0)) for i, w in enumerate(words)]
    for order in (range(1, len(words)), range(len(words) - 2, -1, -1)):
        for i in order:
            neighbour = i - 1 if order.step == 1 else i + 1
            if only_lookalikes[i] and latin[neighbour]:
                latin[i] = True
    pieces, cursor = [], 0
    for match, is_latin in zip(words, latin, strict=True):
        if is_latin and _LOOKALIKE.search(match.group(0)):
            pieces += [text[cursor : match.start()], match.group(0).translate(_TWINS)]
            cursor = match.end()
    pieces.append(text[cursor:])
    return "".join(pieces)


def _clusters(text: str) -> list[tuple[int, int]]:
    """(start, end) of each base character with the combining marks that follow it (NFKC composes
    « e » + U+0301 into « é », so a cluster is normalised as one)."""
    clusters: list[tuple[int, int]] = []
    for index, char in enumerate(text):
        if clusters and unicodedata.combining(char) and clusters[-1][1] == index:
            clusters[-1] = (clusters[-1][0], index + 1)
        else:
            clusters.append((index, index + 1))
    return clusters


_RLO, _PDF = "\u202e", "\u202c"


def _as_displayed(pieces: list[tuple[str, int, int]], text: str) -> list[tuple[str, int, int]]:
    """Pieces in the order a reader sees them: what a right-to-left override (U+202E) governs, up to
    its closing U+202C or the end of the line, is shown backwards (« \u202e2110 555 415 » shows a
    phone number), so it is read backwards."""
    if _RLO not in text:
        return pieces
    ordered: list[tuple[str, int, int]] = []
    reversed_run: list[tuple[str, int, int]] | None = None
    for piece in pieces:
        char = text[piece[1]]
        if char == _RLO:
            if reversed_run is not None:
                ordered += reversed_run[::-1]
            reversed_run = []
        elif reversed_run is not None and (char == _PDF or piece[0] == "\n"):
            ordered += reversed_run[::-1]
            reversed_run = None
        if reversed_run is not None and char != _RLO:
            reversed_run.append(piece)
        else:
            ordered.append(piece)
    if reversed_run is not None:
        ordered += reversed_run[::-1]
    return ordered


@lru_cache(maxsize=256)
def normalise(text: str) -> Normalised:
    """``text`` as every check reads it, with the way back to the original (see the module's doc)."""
    if unicodedata.is_normalized("NFKC", text) and not _NEEDS_WORK.search(text):
        return Normalised(text, text)
    pieces: list[tuple[str, int, int]] = []
    for start, end in _clusters(text):
        piece = text[start:end]
        if unicodedata.category(piece[0]) == "Zs":
            piece = " " + piece[1:]
        elif piece[0] in "\u2028\u2029":
            piece = "\n" + piece[1:]
        # A look-alike NFKC would turn into something else (« ϲ » into « ς ») is left for the words.
        normal = piece if piece in _LOOKALIKES else unicodedata.normalize("NFKC", piece)
        normal = "".join(c for c in normal if not invisible(c))
        pieces.append(("".join(" " if unicodedata.category(c) == "Zs" else c for c in normal), start, end))
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for normal, start, end in _as_displayed(pieces, text):
        out.append(normal)
        starts += [start] * len(normal)
        ends += [end] * len(normal)
    return Normalised(text, _read_lookalikes("".join(out)), tuple(starts), tuple(ends))
