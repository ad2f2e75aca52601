"""Citations numbered 1…n by first appearance, one marker per source per sentence, French spacing kept."""

from __future__ import annotations

from balise.assistant.citations import check_answer, number_by_appearance
from balise.gateway import Citation, Passage, strip_markers
from balise.text import Sentence

ONE = Passage(1, "c1", "d1", "Guide", 1, "Le permis est valide dix ans. Ai-je besoin d'un permis ? Oui.")
THREE = Passage(
    3, "c3", "d3", "Règlement", 2, "Article 5 — Tarifs : le tarif est de 50 $. Il est payable d'avance."
)


def test_sources_are_renumbered_by_first_appearance_without_doubles() -> None:
    text = "Le tarif est de 50 $ [3][3]. Il est payable d'avance [3] Le permis est valide dix ans.[1]Ai-je"
    citations = [
        Citation.of(THREE, "le tarif est de 50 $."),
        Citation.of(THREE, "Il est payable d'avance."),
        Citation.of(ONE, "Le permis est valide dix ans."),
    ]
    check = check_answer(text, [ONE, THREE], citations)
    renumbered, checked = number_by_appearance(text, check, [ONE, THREE])
    assert (
        renumbered
        == "Le tarif est de 50 $ [1]. Il est payable d'avance [1] Le permis est valide dix ans. [2] Ai-je"
    )
    assert [c.number for c in checked.citations] == [1, 2]
    assert checked.citations[0].quote == "le tarif est de 50 $. Il est payable d'avance."
    assert checked.citations[0].quote in THREE.text
    assert [p.numbers for p in checked.parts][:2] == [(1,), (1, 2)]


def test_stripping_markers_keeps_french_spacing() -> None:
    assert strip_markers("Heures : 8 h 30 [1]. Ouvert le samedi ? [2] Oui [3], le matin.") == (
        "Heures : 8 h 30. Ouvert le samedi ? Oui, le matin."
    )
    assert strip_markers("dix ans.[1]Ai-je") == "dix ans. Ai-je"
    # The fact on its own line, then its sentence: no space left at the end of the line.
    assert strip_markers("mercredi [1]\n\nLe recyclage est ramassé le mercredi. [1]") == (
        "mercredi\n\nLe recyclage est ramassé le mercredi."
    )


def test_sentence_offsets_still_slice_the_source() -> None:
    from balise.text import split_sentences

    text = "Art. 5 : le tarif est de 50 $. M. Tremblay signe ? Oui."
    assert [s.text for s in split_sentences(text)] == [
        "Art. 5 : le tarif est de 50 $.",
        "M. Tremblay signe ?",
        "Oui.",
    ]
    assert all(text[s.start : s.end] == s.text for s in split_sentences(text))
    assert isinstance(split_sentences(text)[0], Sentence)
