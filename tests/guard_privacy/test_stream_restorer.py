"""Placeholders restored in streamed pieces: a value is shown whole, never a piece of a placeholder."""

from __future__ import annotations

from balise.guard.privacy import PlaceholderMap, StreamRestorer

VALUES = PlaceholderMap({"[PERSONNE_1]": "Marie Tremblay", "[TELEPHONE_1]": "514-555-0199"})


def _shown(pieces: list[str]) -> list[str]:
    restorer = StreamRestorer(VALUES)
    shown = [restorer.feed(piece) for piece in pieces]
    return [*shown, restorer.flush()]


def test_a_placeholder_cut_across_pieces_is_held_then_restored_whole():
    shown = _shown(["Écrire à [PERS", "ONNE_1", "] au [TELEPHONE_", "1]."])
    assert shown == ["Écrire à ", "", "Marie Tremblay au ", "514-555-0199.", ""]


def test_brackets_that_are_no_placeholder_pass_as_soon_as_they_cannot_become_one():
    shown = _shown(["Source [", "1] et [note] ", "[PERSONNE_9] ["])
    assert "".join(shown) == "Source [1] et [note] [PERSONNE_9] ["
    assert shown[1] == "[1] et [note] "  # released with the piece that settled it
    assert shown[-1] == "["  # held to the end, then given back as it is
