"""The extractive backend and the French text tools it shares with citation checks."""

from __future__ import annotations

import openai
import pytest

from balise.config import get_settings
from balise.gateway import ExtractiveBackend, Hosting, Passage, grid_intensity, split_sentences, term_set
from balise.gateway.markers import cited_numbers, claim_sentences, normalise_quote
from balise.i18n import use_locale
from tests.support.openai_server import OpenAIServer

BYLAW = Passage(
    1,
    "c1",
    "d1",
    "Règlement 2024-12 sur le déneigement",
    4,
    "Article 5. Le stationnement de nuit est interdit dans les rues du 1er décembre au 31 mars, "
    "entre minuit et 7 h. Les contrevenants s’exposent à une amende de 100 $ et au remorquage. "
    "M. le maire peut suspendre l’interdiction lors des fêtes.",
)
WASTE = Passage(
    2,
    "c2",
    "d2",
    "Calendrier des collectes",
    None,
    "La collecte des ordures ménagères a lieu le mardi.\n\nLes bacs bruns (matières organiques) sont "
    "ramassés le jeudi, toute l’année. Les encombrants sont collectés le premier lundi du mois.",
)


def test_answer_quotes_exact_source_sentences_and_cites_them() -> None:
    completion = ExtractiveBackend().answer(
        "Quand le stationnement de nuit est-il interdit ?", [WASTE, BYLAW]
    )
    assert completion.kind == "extractive" and completion.label
    first = completion.citations[0]
    assert first.number == 1 and first.page == 4 and first.document_id == "d1"
    assert first.quote in BYLAW.text and "1er décembre au 31 mars" in first.quote
    assert completion.text.startswith("1er décembre au 31 mars [1]\n\n" + first.quote + " [1]")
    assert all(c.quote in (BYLAW.text if c.number == 1 else WASTE.text) for c in completion.citations)


def test_accents_and_inflections_do_not_hide_the_answer() -> None:
    completion = ExtractiveBackend().answer("quel jour ramasse-t-on les matieres organiques", [BYLAW, WASTE])
    assert completion.citations and completion.citations[0].number == 2
    assert "jeudi" in completion.citations[0].quote


def test_says_the_sources_do_not_answer_instead_of_guessing() -> None:
    completion = ExtractiveBackend().answer("Quel est le budget de la bibliothèque en 2025 ?", [BYLAW, WASTE])
    assert completion.citations == []
    assert completion.text.startswith("Les documents fournis ne répondent pas")
    with use_locale("en"):
        assert ExtractiveBackend().answer("piscine", [BYLAW]).text.startswith("The documents provided")


def test_summary_is_made_of_cited_source_sentences_in_order() -> None:
    summary = ExtractiveBackend().summarise([BYLAW, WASTE], audience="general", max_sentences=2)
    assert len(summary.citations) == 2 and summary.label == "Extrait des documents"
    for citation in summary.citations:
        assert citation.quote in (BYLAW.text if citation.number == 1 else WASTE.text)
    assert [c.number for c in summary.citations] == sorted(c.number for c in summary.citations)


def test_plain_language_summaries_prefer_short_sentences() -> None:
    long_sentence = (
        "La municipalité, en vertu des pouvoirs que lui confère la loi et après consultation des "
        "comités concernés ainsi que des citoyens des différents quartiers, a adopté une "
        "réglementation complète et détaillée concernant le déneigement et le stationnement."
    )
    short_sentence = "Le stationnement de nuit est interdit en hiver."
    text = f"{long_sentence} {short_sentence} Les amendes sont de 100 $ pour le stationnement."
    plain = ExtractiveBackend().summarise([text], audience="plain", max_sentences=1)
    specialist = ExtractiveBackend().summarise([text], audience="specialist", max_sentences=1)
    assert plain.citations[0].quote == short_sentence
    assert specialist.citations[0].quote == long_sentence


def test_summary_skips_scripts_scraped_with_the_text() -> None:
    text = (
        "Le conseil a adopté le budget de l'année prochaine lundi soir. Les taxes foncières augmentent "
        "de deux pour cent. window.pvp = new Pvp('x', {id: \"a\"}); La séance a duré trois heures."
    )
    summary = ExtractiveBackend().summarise([text], max_sentences=3)
    assert all("Pvp" not in c.quote for c in summary.citations)


def test_sentences_keep_offsets_and_skip_abbreviations() -> None:
    text = "M. Tremblay a signé l'art. 5 hier. Il part.Au retour, il votera !\n\n- Point un\n- Point deux"
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "M. Tremblay a signé l'art. 5 hier.",
        "Il part.",
        "Au retour, il votera !",
        "- Point un",
        "- Point deux",
    ]
    assert all(text[s.start : s.end] == s.text for s in sentences)


def test_a_quoted_question_stays_in_its_sentence() -> None:
    """« … ? » is the end of a quotation, not an FAQ question: cut there, the reader took the
    sentence for a heading and never cited it."""
    text = "Le sénateur Grosdidier précise : « pourquoi n'est-il pas financé par l'État ? ». Il part."
    assert [s.text for s in split_sentences(text)] == [
        "Le sénateur Grosdidier précise : « pourquoi n'est-il pas financé par l'État ? ».",
        "Il part.",
    ]


def test_terms_are_stemmed_and_accent_folded() -> None:
    assert term_set("Déneigement des écoles") == term_set("deneigement ecole")
    assert "le" not in term_set("le stationnement") and "2024" in term_set("en 2024")


def test_markers_and_claims() -> None:
    assert cited_numbers("A [1]. B [2, 3]. C [4-5][1].") == [1, 2, 3, 4, 5]
    assert cited_numbers("Écrire à [PERSON_1] [2].") == [2]
    assert [s.text for s in claim_sentences("Première. [1] Seconde [2].")] == [
        "Première. [1]",
        "Seconde [2].",
    ]
    assert normalise_quote("L’amende  est de «\u00a0100 $\u00a0»") == normalise_quote(
        'l\'amende est de "100 $"'
    )


def test_grid_intensity_follows_the_hosting_and_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    assert grid_intensity(Hosting.ON_PREMISES, "QC") == grid_intensity(Hosting.QUEBEC)
    assert grid_intensity(Hosting.ON_PREMISES, "CH-VD") == grid_intensity(Hosting.SWITZERLAND)
    assert (
        grid_intensity(Hosting.QUEBEC) < grid_intensity(Hosting.SWITZERLAND) < grid_intensity(Hosting.ABROAD)
    )
    monkeypatch.setenv("BALISE_GRID_G_CO2E_PER_KWH", '{"quebec": 30}')
    get_settings.cache_clear()
    assert grid_intensity(Hosting.ON_PREMISES, "QC") == 30


def test_the_fake_server_speaks_the_openai_protocol_and_records_requests() -> None:
    with OpenAIServer(answer="Bonjour [1].") as server:
        client = openai.OpenAI(base_url=server.base_url, api_key="k", max_retries=0)
        assert [m.id for m in client.models.list().data] == ["fake-model"]
        reply = client.chat.completions.create(model="x", messages=[{"role": "user", "content": "Salut"}])
        assert reply.choices[0].message.content == "Bonjour [1]."
        stream = client.chat.completions.create(
            model="x", messages=[{"role": "user", "content": "Re"}], stream=True
        )
        assert "".join(c.choices[0].delta.content or "" for c in stream if c.choices) == "Bonjour [1]."
        assert server.received_text() == "Salut\nRe"
