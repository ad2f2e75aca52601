"""Ways to hide a value from a pattern while a person still reads it, and the check that it was masked.

Shared by the property tests (tests/guard_privacy/test_obfuscation.py), the obfuscation corpus
(tests/guard_privacy/obfuscation.py) and the API tests that run it (tests/web, tests/citizen).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from balise.guard.privacy.placeholders import PLACEHOLDER
from balise.normalisation import LOOKALIKES, invisible, normalise

ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")
BIDI = ("\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069")
TAGS = ("\U000e0020", "\U000e0041", "\U000e007f")
INVISIBLE = (*ZERO_WIDTH, *BIDI, *TAGS, "\u061c", "\u00ad", "\u034f", "\ufe0f")
SPACES = tuple(
    chr(c) for c in range(0x10000) if unicodedata.category(chr(c)) == "Zs" and chr(c) != " "
)  # U+00A0, U+1680, U+2000–U+200A, U+202F, U+205F, U+3000
TWINS: dict[str, tuple[str, ...]] = {}
for _lookalike, _latin in LOOKALIKES.items():
    if "CYRILLIC" in unicodedata.name(_lookalike) or "GREEK" in unicodedata.name(_lookalike):
        TWINS[_latin] = (*TWINS.get(_latin, ()), _lookalike)


def every(value: str, step: int, char: str) -> str:
    """``char`` after every ``step`` characters of ``value`` (and before its first one)."""
    return char + char.join(value[i : i + step] for i in range(0, len(value), step))


def full_width(value: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in value)


def mathematical(value: str) -> str:
    """Mathematical bold letters and digits (U+1D400…), which NFKC reads as plain ones."""
    out = []
    for c in value:
        if "0" <= c <= "9":
            out.append(chr(0x1D7CE + ord(c) - ord("0")))
        elif "A" <= c <= "Z":
            out.append(chr(0x1D400 + ord(c) - ord("A")))
        elif "a" <= c <= "z":
            out.append(chr(0x1D41A + ord(c) - ord("a")))
        else:
            out.append(c)
    return "".join(out)


def cyrillic(value: str) -> str:
    return "".join(next((t for t in TWINS.get(c, ()) if "CYRILLIC" in unicodedata.name(t)), c) for c in value)


def greek(value: str) -> str:
    return "".join(next((t for t in TWINS.get(c, ()) if "GREEK" in unicodedata.name(t)), c) for c in value)


TRICKS: dict[str, Callable[[str], str]] = {
    "no-break space": lambda v: v.replace(" ", "\u00a0"),
    "narrow no-break space": lambda v: v.replace(" ", "\u202f"),
    "thin space": lambda v: v.replace(" ", "\u2009"),
    "ideographic space": lambda v: v.replace(" ", "\u3000"),
    "zero-width space": lambda v: every(v, 2, "\u200b"),
    "zero-width joiners": lambda v: every(v, 3, "\u200d") + "\u200c",
    "word joiner": lambda v: every(v, 1, "\u2060"),
    "byte order mark": lambda v: every(v, 4, "\ufeff"),
    "soft hyphen": lambda v: every(v, 3, "\u00ad"),
    "bidirectional marks": lambda v: every(v, 2, "\u200e") + "\u200f\u061c",
    "isolates": lambda v: "\u2066" + every(v, 5, "\u2069\u2068") + "\u2069",
    "right-to-left override": lambda v: "\u202e" + v[::-1] + "\u202c",
    "tag characters": lambda v: every(v, 3, "\U000e0041"),
    "full width": full_width,
    "mathematical letters": mathematical,
    "cyrillic look-alikes": cyrillic,
    "greek look-alikes": greek,
    "everything at once": lambda v: every(cyrillic(v).replace(" ", "\u202f"), 2, "\u200b\u00ad"),
}


def runs(value: str) -> list[str]:
    """The letter and digit runs of a value, as a person reads them, in lower case."""
    return [run.casefold() for run in re.findall(r"[^\W_]+", normalise(value).text) if len(run) >= 2]


def visible(value: str, masked: str, template: str) -> list[str]:
    """The runs of ``value`` still readable in ``masked`` (read as a person reads it): inside the
    words that are not the template's own words nor placeholders."""
    own = {word.casefold() for word in re.findall(r"[^\W_]+", normalise(template.replace("{v}", " ")).text)}
    shown = normalise(PLACEHOLDER.sub(" ", masked)).text
    leftover = [w.casefold() for w in re.findall(r"[^\W_]+", shown) if w.casefold() not in own]
    return [run for run in runs(value) if any(run in word for word in leftover)]


def hidden_around_placeholders(masked: str) -> list[str]:
    """Invisible characters left right before or after a placeholder (they belong to the value)."""
    return [
        m.group(0)
        for m in re.finditer(r".?\[[A-Z_]+_\d+\].?", masked, re.S)
        if any(invisible(c) for c in (m.group(0)[0], m.group(0)[-1]))
    ]
