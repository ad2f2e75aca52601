"""Decoding text files: UTF-8, or the legacy encoding charset-normalizer recognises, or a refusal.

A file saved by an old program (Windows-1252, Latin-1, DOS code page 850, Mac Roman…) must be read
with its own encoding, not ingested garbled and marked ready. The candidates are the encodings of
French-speaking offices, so that a rare byte is not taken for Arabic or Icelandic; what cannot be
decoded cleanly is refused with where the problem is and what to do.
"""

from __future__ import annotations

import re
import unicodedata

from charset_normalizer import from_bytes

from balise.documents.pages import UnreadableDocument

# Legacy encodings of French-speaking offices (and UTF-16/32, which carry a byte-order mark).
CANDIDATES = ["cp1252", "latin_1", "iso8859_15", "cp850", "mac_roman", "utf_16", "utf_32"]
# The decoded text may hold at most this share of characters that no office text contains.
MAX_STRANGE_SHARE = 0.001
# UTF-8 for accented Latin letters, Latin-1 punctuation and typographic quotes and dashes: in a
# legacy-encoded French text these byte pairs would read « Ã© », « Â« », « â€™ », which nobody writes.
_UTF8_FRENCH = re.compile(rb"\xc3[\x80-\xbf]|\xc2[\xa0-\xbf]|\xe2\x80[\x90-\xbf]")
_ALLOWED_CONTROLS = {"\n", "\r", "\t", "\f"}


def decode_text(data: bytes) -> str:
    """The file's text; raises :class:`UnreadableDocument` with a reason when it cannot be read cleanly."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        invalid_at = exc.start
    if _UTF8_FRENCH.search(data):
        raise UnreadableDocument(
            "This file mixes UTF-8 with another encoding (an invalid byte at position {position}), so "
            "its accented letters would be garbled. Open it in a text editor, save it as UTF-8 and add "
            "it again.",
            position=invalid_at,
        )
    best = from_bytes(data, cp_isolation=CANDIDATES).best()
    if best is None:
        raise UnreadableDocument(
            "The text encoding of this file could not be recognised. Save it as UTF-8 and add it again."
        )
    text = str(best)
    strange = [i for i, c in enumerate(text) if _strange(c)]
    if len(strange) > max(0, int(len(text) * MAX_STRANGE_SHARE)):
        raise UnreadableDocument(
            "This file is not in UTF-8 and holds bytes that are invalid in its encoding ({encoding}), "
            "the first near character {position}. Open it in a text editor, save it as UTF-8 and add "
            "it again.",
            encoding=best.encoding,
            position=strange[0],
        )
    return text


def _strange(character: str) -> bool:
    """Control characters (C0 other than line breaks and tabs, C1) and unassigned code points."""
    if character in _ALLOWED_CONTROLS:
        return False
    return unicodedata.category(character) in {"Cc", "Cn", "Co"}
