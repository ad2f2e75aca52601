"""Summaries for an audience, plain-language revision and drafting without a generative model."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import Engine

from balise.assistant import draft, revise, summarise
from balise.assistant.readability import kandel_moles
from balise.assistant.revision import diagnose, plain_phrases, plain_revision, plain_revision_notice
from balise.db import tenant_session
from balise.documents.chunking import chunk_document
from balise.documents.formats import parser_for
from balise.gateway.contracts import Passage
from balise.gateway.extractive import ExtractiveBackend
from balise.i18n import use_locale
from tests.assistant.conftest import requester_of
from tests.support.web import Member

LIBRARY = Path(__file__).parents[2] / "src/balise/documents/demo_library"
HEADING = re.compile(r"^\s*(article|chapitre|section|titre)\s+\d", re.IGNORECASE | re.MULTILINE)
BY_LAWS = ("reglement-2024-12-arrosage.docx", "reglement-2025-03-permis-renovation.pdf")
DENSE = (
    "Conformément aux dispositions du règlement 2024-12, quiconque contrevient au présent règlement, "
    "nonobstant toute autorisation antérieure délivrée par le fonctionnaire désigné, est passible d'une "
    "amende de 1 234,56 $ et les sommes perçues sont versées au fonds général afin de financer la "
    "réfection des infrastructures d'aqueduc. Les bacs sont ramassés par l'entrepreneur le lundi."
)


def _passages(name: str) -> list[Passage]:
    path = LIBRARY / name
    parser = parser_for(path.name)
    assert parser is not None
    parsed = parser.parse(path.read_bytes(), path.name)
    return [
        Passage(n, f"c{n}", "d", parsed.title, c.page, c.text)
        for n, c in enumerate(chunk_document(parsed), start=1)
    ]


@pytest.mark.parametrize("name", BY_LAWS)
@pytest.mark.parametrize("audience", ["general", "plain"])
def test_a_by_law_summary_for_the_public_is_made_of_content_sentences(name: str, audience: str):
    completion = ExtractiveBackend().summarise(_passages(name), audience)  # type: ignore[arg-type]
    quotes = [citation.quote for citation in completion.citations]
    assert len(quotes) == 3
    for quote in quotes:
        assert not HEADING.search(quote), quote
        assert quote.rstrip().endswith((".", "!", "?")), quote
        assert len(quote.split()) >= 6, quote


def test_the_public_summary_of_the_watering_by_law_states_its_rules():
    completion = ExtractiveBackend().summarise(_passages(BY_LAWS[0]), "general")
    assert re.search(r"\d+ h", completion.text), completion.text  # hours, not titles
    assert not HEADING.search(completion.text)


def test_summarising_a_pasted_by_law_quotes_the_source_verbatim(library: Member, engine: Engine):
    text = (
        "Règlement no 2024-12 sur l'arrosage\n"
        "Chapitre 2 — Arrosage\n"
        "Article 4 — Jours permis\n"
        "L'arrosage des pelouses est permis les jours pairs pour les adresses paires, entre 20 h et 23 h.\n"
        "Article 8 — Amendes\n"
        "Quiconque contrevient au règlement est passible d'une amende de 100 $."
    )
    with tenant_session(library.tenant.id, engine) as session:
        result = summarise(session, requester_of(library), text=text, audience="plain")
    assert result.status == "done"
    assert not HEADING.search(result.text)
    assert all(c.quote in text for c in result.citations)


def test_plain_phrases_are_replaced_only_by_exact_equivalents():
    text, applied = plain_phrases("Afin de payer, conformément aux règles, subséquemment à la visite.")
    assert text == "Pour payer, selon les règles, après la visite."
    assert [d.excerpt for d in applied] == ["Afin de", "conformément aux", "subséquemment à"]
    assert all(d.rewritten for d in applied)


def test_diagnostics_point_at_long_sentences_rare_words_passive_voice_and_figures():
    found = {(d.kind, d.excerpt) for d in diagnose(DENSE)}
    kinds = {kind for kind, _excerpt in found}
    assert kinds == {"long_sentence", "rare_word", "passive", "figure"}
    assert ("passive", "sont ramassés par") in found
    assert ("figure", "1 234,56") in found
    assert ("rare_word", "contrevient") in found
    assert not any(kind == "rare_word" and excerpt in {"amende", "lundi"} for kind, excerpt in found)


def test_a_short_plain_text_gets_no_diagnostic():
    assert diagnose("La collecte a lieu le mardi. Sortez votre bac la veille.") == []


def test_plain_revision_without_a_model_rewrites_safely_and_says_what_is_left(
    library: Member, engine: Engine
):
    with tenant_session(library.tenant.id, engine) as session:
        result = revise(session, requester_of(library), text=DENSE, mode="plain")
        session.commit()
    assert result.status == "done"
    assert "Pour financer" not in result.text and "pour financer" in result.text
    assert "toute personne qui contrevient" in result.text
    assert result.changes and any(s.op != "equal" for s in result.changes)
    assert result.diagnostics and any(not d.rewritten for d in result.diagnostics)
    assert result.notice and ("generative model" in result.notice or "modèle génératif" in result.notice)
    payload = result.as_json()
    assert {d["kind"] for d in payload["diagnostics"]} >= {"plain_phrase", "long_sentence", "passive"}
    assert kandel_moles(result.text).score > kandel_moles(DENSE).score


def test_a_hard_text_is_never_called_fine_as_it_is(library: Member, engine: Engine):
    unchangeable = (
        "L'imperméabilisation des surfaces minéralisées accroît le ruissellement, lequel est susceptible "
        "d'occasionner la saturation du réseau pluvial unitaire lors d'épisodes de précipitations intenses "
        "et la surverse d'eaux usées non traitées vers le milieu récepteur."
    )
    with tenant_session(library.tenant.id, engine) as session:
        result = revise(session, requester_of(library), text=unchangeable, mode="plain")
    assert kandel_moles(unchangeable).score < 40
    assert result.diagnostics
    assert result.notice and ("generative model" in result.notice or "modèle génératif" in result.notice)
    assert "No change was needed" not in result.notice


def test_a_drafted_job_posting_without_a_model_is_labelled_a_template(library: Member, engine: Engine):
    with tenant_session(library.tenant.id, engine) as session:
        result = draft(
            session, requester_of(library), kind="job_posting", brief="Préposé à l'entretien des parcs"
        )
        session.commit()
    assert result.label in {"Template to complete", "Modèle à compléter"}
    assert result.disclosure.startswith(("Template to complete", "Modèle à compléter"))
    assert "extrait" not in result.disclosure.lower() and "extract" not in result.disclosure.lower()
    assert result.provenance["ai_generated"] is False


def test_the_notice_in_french_names_what_needs_a_generative_model():
    with use_locale("fr"):
        notice = plain_revision_notice(plain_revision(DENSE))
    assert "modèle génératif" in notice and "couper les phrases longues" in notice
