"""Text in a legacy encoding is read with its own encoding, or refused with where and what to do."""

from __future__ import annotations

import pytest

from balise.documents import UnreadableDocument, parse
from balise.i18n import use_locale

TEXT = (
    "Le conseil municipal a adopté le règlement sur les nuisances sonores. Les résidents pourront "
    "déposer une plainte à l'hôtel de ville, où le greffier traitera leur demande. Être à l'écoute "
    "des citoyens : c'est notre priorité.\n"
) * 3


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "cp850", "mac_roman", "utf-16"])
def test_a_legacy_encoding_is_decoded_with_its_accents(encoding: str) -> None:
    parsed = parse(TEXT.encode(encoding), "avis.txt")
    assert "adopté le règlement" in parsed.text and "Être à l'écoute" in parsed.text


def test_invalid_bytes_in_a_legacy_encoding_are_refused_in_french_with_their_position() -> None:
    data = TEXT.encode("cp1252")
    garbled = data[:100] + b"\x81\x8d" + data[100:]
    with pytest.raises(UnreadableDocument) as refused, use_locale("fr"):
        parse(garbled, "avis.txt")
    message = refused.value.localized()
    assert "n’est pas en UTF-8" in message and "100" in message and "enregistrez-le en UTF-8" in message


def test_a_file_mixing_utf8_and_a_legacy_encoding_is_refused() -> None:
    mixed = TEXT.encode("utf-8") + TEXT.encode("cp1252")
    with pytest.raises(UnreadableDocument) as refused, use_locale("fr"):
        parse(mixed, "notes.md")
    assert "mélange l’UTF-8" in refused.value.localized()
