"""The French analyser shared by both lexical indexes."""

from __future__ import annotations

import pytest

from balise.search.analysis import fold, index_text, query_terms, terms


def test_fold_removes_accents_and_ligatures() -> None:
    assert fold("Œuvre Élémentaire à Genève") == "oeuvre elementaire a geneve"


def test_terms_split_elisions_and_drop_stop_words() -> None:
    assert terms("L'école et la mairie") == ["ecol", "mair"]


def test_stemming_groups_inflections() -> None:
    assert terms("collectés")[0] == terms("collecte")[0] == terms("collectes")[0]
    assert terms("municipales") == terms("municipal")


def test_accented_and_unaccented_queries_meet() -> None:
    assert query_terms("déchets électroniques") == query_terms("dechets electroniques")


def test_query_terms_are_distinct_and_ordered() -> None:
    assert query_terms("permis de construire, permis de démolir") == ["perm", "construir", "demol"]


def test_index_text_is_space_separated_terms() -> None:
    assert index_text("Les bibliothèques municipales") == "bibliothequ municipal"


@pytest.mark.parametrize(
    "disguised",
    [
        "Collecte des o\u200brdures mé\u00adnagères",
        "Collecte\u00a0des\u202fordures ménagères",
        "Ｃｏｌｌｅｃｔｅ des ordures ménagères",
        "Collecte des \u043erdures ménagères",  # a Cyrillic о
    ],
)
def test_a_disguised_query_or_passage_has_the_terms_a_person_reads(disguised: str) -> None:
    assert query_terms(disguised) == query_terms("Collecte des ordures ménagères")
    assert index_text(disguised) == index_text("Collecte des ordures ménagères")
