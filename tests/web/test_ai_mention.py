"""The AI-use mention, badge and provenance say how each task's text was made (D2, L3, issue 28).

Each task runs through its page as a person does; the stored provenance, the result page, the output page
and both exports must then agree on one origin: extracts, a filled template, writing rules or a named
generative model.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

import docx
import yaml
from sqlalchemy import Engine, select

from balise.db import open_session
from balise.documents import Document
from balise.review import Output
from balise.tenancy import Tenant
from tests.assistant.conftest import AddDocument
from tests.support.openai_server import OpenAIServer
from tests.support.web import Member, csrf_of

WASTE_QUESTION = "Quel jour a lieu la collecte des ordures ?"


def _run(member: Member, path: str, **fields: str) -> tuple[str, str]:
    """Runs a task through its page; the result page and the id of the saved output."""
    response = member.client.post(
        path, data={"csrf_token": csrf_of(member.client), "action": "send", **fields}
    )
    assert response.status_code == 200, response.text
    found = re.search(r"/resultats/([0-9a-f]{32})", response.text)
    assert found, "the result links to its saved output"
    return response.text, found.group(1)


def _provenance(engine: Engine, output_id: str) -> dict[str, Any]:
    with open_session(engine) as session:
        output = session.scalars(select(Output).where(Output.id == output_id)).one()
        return dict(output.provenance)


def _exports(member: Member, output_id: str) -> tuple[dict[str, Any], str, str]:
    """The Markdown front matter, the Markdown body and the Word document's text."""
    markdown = member.client.get(f"/resultats/{output_id}/export.md")
    assert markdown.status_code == 200, markdown.text
    _empty, front, body = markdown.text.split("---\n", 2)
    word = member.client.get(f"/resultats/{output_id}/export.docx")
    assert word.status_code == 200
    paragraphs = docx.Document(io.BytesIO(word.content)).paragraphs
    return yaml.safe_load(front), body, "\n".join(p.text for p in paragraphs)


def _check(
    member: Member,
    engine: Engine,
    page: str,
    output_id: str,
    *,
    origin: str,
    backend: str,
    badge: str,
    mention: str,
    produced_by: str,
) -> None:
    """Every place the output is shown or exported says the same origin."""
    assert f'<span class="badge">{badge}</span>' in page
    assert mention in page and produced_by in page
    provenance = _provenance(engine, output_id)
    assert provenance["disclosure"].startswith(mention)
    assert provenance["origin"] == origin and provenance["backend"] == backend
    assert provenance["ai_generated"] is (origin == "generative")
    saved = member.client.get(f"/resultats/{output_id}").text
    assert f'<span class="badge origin">{badge}</span>' in saved
    assert mention in saved and produced_by in saved
    front, body, word = _exports(member, output_id)
    assert front["origin"] == origin and front["backend"] == backend
    assert front["disclosure"].startswith(mention)
    assert mention in body and mention in word
    if origin != "extract":
        for shown in (page, saved, body, word, str(front)):
            assert "Extrait des documents" not in shown and "extraits des documents" not in shown


def test_an_answer_without_a_model_is_an_extract_of_the_documents(library: Member, engine: Engine):
    page, output_id = _run(library, "/assistant/question", question=WASTE_QUESTION)
    _check(
        library,
        engine,
        page,
        output_id,
        origin="extract",
        backend="extractive",
        badge="Extrait des documents",
        mention="Texte composé par Balise d’extraits des documents de la municipalité, sans modèle génératif",
        produced_by="Aucun modèle génératif : phrases tirées par Balise des documents de la municipalité",
    )


def test_a_summary_without_a_model_is_an_extract_of_the_documents_or_of_the_text(
    library: Member, engine: Engine
):
    with open_session(engine) as session:
        document_id = session.scalars(
            select(Document.id).where(
                Document.tenant_id == library.tenant.id, Document.title == "Collecte des ordures"
            )
        ).one()
    page, output_id = _run(library, "/assistant/resume", document_ids=document_id, audience="general")
    _check(
        library,
        engine,
        page,
        output_id,
        origin="extract",
        backend="extractive",
        badge="Extrait des documents",
        mention="Texte composé par Balise d’extraits des documents de la municipalité, sans modèle génératif",
        produced_by="Aucun modèle génératif : phrases tirées par Balise des documents de la municipalité",
    )
    pasted = (
        "Le conseil a adopté le budget de la bibliothèque. Les heures d’ouverture seront prolongées le "
        "samedi. Une nouvelle salle d’étude ouvrira au printemps pour les élèves du quartier."
    )
    page, output_id = _run(library, "/assistant/resume", text=pasted, audience="general")
    _check(
        library,
        engine,
        page,
        output_id,
        origin="text_extract",
        backend="extractive",
        badge="Extrait du texte fourni",
        mention="Texte composé par Balise de phrases du texte fourni, sans modèle génératif",
        produced_by="Aucun modèle génératif : phrases tirées par Balise du texte fourni",
    )


def test_a_draft_without_a_model_is_the_template_filled_in(library: Member, engine: Engine):
    page, output_id = _run(
        library, "/assistant/redaction", template="memo", text="Fermeture du garage municipal vendredi"
    )
    _check(
        library,
        engine,
        page,
        output_id,
        origin="template",
        backend="template",
        badge="Modèle à compléter",
        mention="Modèle à compléter : le gabarit de la municipalité rempli par Balise avec votre demande",
        produced_by="Aucun modèle génératif : le gabarit de la municipalité rempli avec la demande",
    )
    assert "extractive (template)" not in library.client.get(f"/resultats/{output_id}").text


def test_a_revision_without_a_model_approved_for_the_public_says_writing_rules(
    member_of: Callable[..., Member], engine: Engine
):
    author = member_of("employee")
    reviewer = member_of("reviewer", tenant=author.tenant)
    page, output_id = _run(
        author, "/assistant/revision", text="la collecte a lieu le le mardi ,avant 7 h.", mode="correct"
    )
    submitted = author.client.post(
        f"/resultats/{output_id}/soumettre",
        data={"csrf_token": csrf_of(author.client), "purpose": "public", "reviewer_id": reviewer.user.id},
        follow_redirects=False,
    )
    assert submitted.status_code == 303
    review_page = reviewer.client.get(f"/revision/{output_id}").text
    assert '<span class="badge origin">Révisé selon des règles d’écriture</span>' in review_page
    decided = reviewer.client.post(
        f"/revision/{output_id}/decision",
        data={"csrf_token": csrf_of(reviewer.client), "decision": "approve", "comment": ""},
        follow_redirects=False,
    )
    assert decided.status_code == 303
    _check(
        author,
        engine,
        page,
        output_id,
        origin="revision_rules",
        backend="rules",
        badge="Révisé selon des règles d’écriture",
        mention="Texte révisé par Balise selon des règles d’écriture, sans modèle génératif",
        produced_by="Aucun modèle génératif : texte révisé selon les règles d’écriture de Balise",
    )
    front, _body, _word = _exports(author, output_id)
    assert front["review_status"] == "approved" and front["model"] is None
    assert front["digital_source_type"].endswith("/algorithmicMedia")


def test_an_answer_by_a_model_names_the_model(
    member_of: Callable[..., Member],
    make_tenant: Callable[..., Tenant],
    add_document: AddDocument,
    openai_server: OpenAIServer,
    use_model: Callable[..., None],
    engine: Engine,
):
    member = member_of("employee", tenant=make_tenant())
    add_document(member.tenant.id, "Collecte", "La collecte des ordures a lieu le mardi matin.")
    openai_server.answer = "La collecte a lieu le mardi [1]."
    use_model(member.tenant, openai_server)
    page, output_id = _run(member, "/assistant/question", question=WASTE_QUESTION)
    _check(
        member,
        engine,
        page,
        output_id,
        origin="generative",
        backend="generative",
        badge="Modèle génératif fake-model",
        mention="Texte produit avec l’aide de l’IA générative (modèle fake-model",
        produced_by="Modèle génératif fake-model (Modèle local)",
    )
    assert _provenance(engine, output_id)["backend_name"] == "Modèle local"
