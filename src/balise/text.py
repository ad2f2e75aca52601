"""French text basics shared by search, citation checks, the assistant and review.

One place for accent folding, Snowball stemming and word-level diffs, so that every step of the
request flow compares words the same way.
"""

from __future__ import annotations

import difflib
import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import snowballstemmer

_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "Œ": "oe", "Æ": "ae"})
_local = threading.local()


def lower(text: str) -> str:
    """Lower case with ligatures spelt out, accents kept (Snowball's French rules need them)."""
    return text.casefold().translate(_LIGATURES)


def fold(text: str) -> str:
    """Lower case without diacritics or ligatures, so that « Œuvre » and « oeuvre » meet."""
    decomposed = unicodedata.normalize("NFKD", lower(text))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@lru_cache(maxsize=200_000)
def snowball(word: str) -> str:
    """Snowball's French stem of one word (its stemmer objects are not thread-safe: one per thread)."""
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("french")
    return str(stemmer.stemWord(word))


Op = Literal["equal", "delete", "insert"]

# Words (with inner apostrophes and hyphens), runs of spaces, and single punctuation marks: a changed
# comma is shown as one changed comma, not as a changed word.
_TOKEN = re.compile(r"\w+(?:['’-]\w+)*|\s+|[^\w\s]", re.UNICODE)


@dataclass(frozen=True)
class Segment:
    op: Op
    text: str


def word_diff(before: str, after: str) -> list[Segment]:
    """Segments that rebuild ``before`` (equal + delete) and ``after`` (equal + insert), in order.

    A replacement is shown as the deletion followed by the insertion, the way a proofreader marks it.
    """
    old, new = _TOKEN.findall(before), _TOKEN.findall(after)
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    segments: list[Segment] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            _push(segments, "equal", "".join(old[i1:i2]))
            continue
        if tag in ("delete", "replace"):
            _push(segments, "delete", "".join(old[i1:i2]))
        if tag in ("insert", "replace"):
            _push(segments, "insert", "".join(new[j1:j2]))
    return segments


def _push(segments: list[Segment], op: Op, text: str) -> None:
    if not text:
        return
    if segments and segments[-1].op == op:
        segments[-1] = Segment(op, segments[-1].text + text)
    else:
        segments.append(Segment(op, text))


def change_count(segments: list[Segment]) -> int:
    """How many places changed: a deletion directly followed by an insertion is one change."""
    count = 0
    previous: Op = "equal"
    for segment in segments:
        if segment.op != "equal" and not (segment.op == "insert" and previous == "delete"):
            count += 1
        previous = segment.op
    return count
