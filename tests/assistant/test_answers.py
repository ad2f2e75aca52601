"""The demo questions of issue 9 against the real demo library, ingested as the product ingests it.

Each answer must state the fact asked for, cite the document that says it, and quote it word for word;
a question pasted with a resident's personal information is answered as if asked alone.
"""

from __future__ import annotations

import re
import uuid

import pytest
from sqlalchemy import Engine

from balise.assistant import Requester, ask
from balise.assistant.results import TaskResult
from balise.db import open_session, tenant_session
from balise.documents import Chunk, load_demo_library
from balise.jobs import run_worker
from balise.tenancy import Tenant, visible_classifications


@pytest.fixture(scope="module")
def demo_town(engine: Engine) -> Tenant:
    """A municipality holding the demo library (parsed, chunked and embedded by the job worker)."""
    with open_session(engine) as session:
        tenant = Tenant(slug=f"demo-{uuid.uuid4().hex[:10]}", name="Ville de Saint-Balise")
        session.add(tenant)
        session.commit()
    with tenant_session(tenant.id, engine) as session:
        load_demo_library(session, tenant.id)
        session.commit()
    run_worker(engine, stop_when_idle=True, poll_seconds=0.05)
    return tenant


def asked(engine: Engine, tenant: Tenant, question: str) -> TaskResult:
    with tenant_session(tenant.id, engine) as session:
        result = ask(session, Requester(tenant, None, visible_classifications("employee")), question)
        session.commit()
    assert result.status == "done", result.message
    return result


def cited_files(result: TaskResult) -> set[str]:
    return {c.title for c in result.citations}


def first_part(result: TaskResult) -> str:
    return result.parts[0].text


def test_opening_hours_state_the_hours_first_not_the_heading(engine: Engine, demo_town: Tenant) -> None:
    result = asked(engine, demo_town, "Quelles sont les heures d'ouverture de l'hôtel de ville ?")
    assert "8 h 30 à 12 h" in first_part(result)
    assert "heures d'ouverture et coordonnées" not in result.text
    assert any("Foire aux questions" in title for title in cited_files(result))


def test_renovation_permit_cost_gives_the_fee(engine: Engine, demo_town: Tenant) -> None:
    result = asked(engine, demo_town, "Combien coûte un permis de rénovation ?")
    assert "50 $" in result.text
    assert re.search(r"tarif est de 50 \$", result.text)


def test_watering_fine_gives_the_amounts_of_the_watering_bylaw(engine: Engine, demo_town: Tenant) -> None:
    result = asked(engine, demo_town, "Quel est le montant de l'amende pour arrosage interdit ?")
    assert "100 $" in result.text
    assert any("eau potable" in title or "arrosage" in title.casefold() for title in cited_files(result))


def test_watering_on_tuesday_gives_the_even_odd_day_rule(engine: Engine, demo_town: Tenant) -> None:
    result = asked(engine, demo_town, "Est-ce que je peux arroser ma pelouse le mardi ?")
    assert "jours pairs pour les adresses paires" in result.text


def test_tax_bill_gives_the_instalment_dates(engine: Engine, demo_town: Tenant) -> None:
    result = asked(engine, demo_town, "Quand dois-je payer mon compte de taxes ?")
    assert "le 1er mars, le 1er mai, le 1er juillet et le 1er septembre" in result.text


def test_a_pasted_email_is_answered_on_what_it_asks(engine: Engine, demo_town: Tenant) -> None:
    question = (
        "Le citoyen Jean-François Bouchard (NAS 046 454 286, tél. 418 555-0199, jf.bouchard@courriel.ca) "
        "demande quelles sont les heures d'ouverture de l'hôtel de ville."
    )
    result = asked(engine, demo_town, question)
    assert "8 h 30 à 12 h" in first_part(result)
    assert result.citations
    assert not any(value in c.quote for c in result.citations for value in ("Bouchard", "046 454 286"))


def test_an_unanswerable_question_gets_no_citation(engine: Engine, demo_town: Tenant) -> None:
    result = asked(engine, demo_town, "Quelle est l'altitude du sommet de l'Everest ?")
    assert not result.citations
    assert "ne répondent pas" in result.text


def test_citations_are_numbered_by_first_appearance_and_quotes_are_verbatim(
    engine: Engine, demo_town: Tenant
) -> None:
    for question in (
        "Quel est le montant de l'amende pour arrosage interdit ?",
        "En combien de temps obtient-on un permis de rénovation ?",
    ):
        result = asked(engine, demo_town, question)
        numbers = [c.number for c in result.citations]
        assert numbers == list(range(1, len(numbers) + 1))
        order = list(dict.fromkeys(n for part in result.parts for n in part.numbers))
        assert order == sorted(order) and set(order) == set(numbers)
        assert not re.search(r"\[(\d+)\]\s*\[\1\]", result.text)
        assert not re.search(r"\][^\s.,;:!?)\]]", result.text)
        with tenant_session(demo_town.id, engine) as session:
            for citation in result.citations:
                chunk = session.get(Chunk, citation.chunk_id)
                assert chunk is not None and citation.quote in chunk.text


@pytest.mark.parametrize(
    "question",
    [
        "Quelles sont les heures d'ouverture de l'hôtel de ville ?",
        "Combien coûte un permis de rénovation ?",
        "Est-ce que je peux arroser ma pelouse le mardi ?",
        "Quand dois-je payer mon compte de taxes ?",
    ],
)
def test_well_supported_demo_answers_carry_no_caution(
    engine: Engine, demo_town: Tenant, question: str
) -> None:
    result = asked(engine, demo_town, question)
    assert result.citations and not result.caution
