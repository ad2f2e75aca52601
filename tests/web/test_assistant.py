"""The assistant's pages, JSON API and stream, as a signed-in person uses them."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from sqlalchemy import Engine, select

from balise.db import open_session, tenant_session
from balise.documents import Chunk, Document
from balise.tenancy import Tenant, create_api_token
from tests.assistant.conftest import WASTE, AddDocument
from tests.support.openai_server import OpenAIServer
from tests.support.web import Member, csrf_of

WASTE_QUESTION = "Quel jour a lieu la collecte des ordures ménagères ?"
RANKING_CANDIDATES = "Classe ces trois candidats du meilleur au pire selon leur CV pour le poste de commis."


def _post(member: Member, path: str, **fields: str) -> str:
    response = member.client.post(path, data={"csrf_token": csrf_of(member.client), **fields})
    assert response.status_code == 200, response.text
    return response.text


def test_every_page_opens(library: Member):
    for path in (
        "/assistant",
        "/assistant/question",
        "/assistant/resume",
        "/assistant/redaction",
        "/assistant/revision",
        "/assistant/historique",
    ):
        response = library.client.get(path)
        assert response.status_code == 200, path
        assert 'aria-label="Tâches de l’assistant"' in response.text or "assistant-tabs" in response.text


def test_asking_without_javascript_shows_a_cited_answer_and_the_disclosure(library: Member):
    page = _post(library, "/assistant/question", question=WASTE_QUESTION, action="send")
    assert "mardi" in page
    assert re.search(r'href="/sources/\w+\?citation=[^"]+#passage"', page)
    assert 'class="disclosure"' in page and "IA" in page
    assert "extractive" in page or "Extrait" in page
    assert "/resultats/" in page  # the saved output can be submitted for review and exported


def test_the_privacy_preview_shows_what_will_be_sent_and_sends_nothing(library: Member, engine: Engine):
    page = _post(
        library,
        "/assistant/question",
        action="preview",
        extra_terms="dossier 42-B",
        question="Jean Tremblay (jean.tremblay@example.org) demande la collecte du dossier 42-B ?",
    )
    region = page[page.index('class="sent-text"') :]
    region = region[: region.index("</div>")]
    assert 'class="masked"' in region and "[PERSONNE_1]" in region
    assert "Tremblay" not in region and "jean.tremblay@example.org" not in region and "42-B" not in region
    assert "&lt;&lt;&lt;SOURCE 1&gt;&gt;&gt;" in region  # the retrieved sources are part of what is sent
    assert "Noms de personnes × 1" in page and "PERSON ×" not in page  # counts in the reader's words
    assert library.client.get("/api/assistant/conversations").json() == []


def test_nothing_from_a_document_or_a_model_runs_as_script(
    member_of: Callable[..., Member],
    make_tenant: Callable[..., Tenant],
    add_document: AddDocument,
    openai_server: OpenAIServer,
    use_model: Callable[..., None],
    engine: Engine,
):
    member = member_of("employee", tenant=make_tenant())
    add_document(
        member.tenant.id,
        "Avis <script>alert('titre')</script>",
        "La collecte des ordures a lieu le mardi. <script>alert('document')</script> "
        "<img src=x onerror=alert(1)>",
    )
    page = _post(
        member, "/assistant/question", question="Quand a lieu la collecte des ordures ?", action="send"
    )
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#39;titre&#39;)&lt;/script&gt;" in page

    with tenant_session(member.tenant.id, engine) as session:
        chunk_id = session.scalars(select(Chunk.id)).first()
    source = member.client.get(f"/sources/{chunk_id}").text
    assert "<script>alert" not in source and "&lt;script&gt;" in source

    openai_server.answer = (
        "<script>alert('modèle')</script> La collecte a lieu le mardi [1]. <b onclick=x>gras</b>"
    )
    use_model(member.tenant, openai_server)
    page = _post(
        member, "/assistant/question", question="Quand a lieu la collecte des ordures ?", action="send"
    )
    assert "<script>alert" not in page and "<b onclick" not in page
    assert "&lt;script&gt;alert(&#39;modèle&#39;)&lt;/script&gt;" in page
    streamed = member.client.post(
        "/assistant/question/flux",
        data={"csrf_token": csrf_of(member.client), "question": "Quand a lieu la collecte des ordures ?"},
    )
    done = [json.loads(line[6:]) for line in streamed.text.splitlines() if line.startswith("data: ")][-1]
    assert "<script>alert" not in done["html"] and "&lt;script&gt;" in done["html"]


def test_the_source_page_highlights_the_cited_passage_within_its_page(library: Member, engine: Engine):
    with tenant_session(library.tenant.id, engine) as session:
        chunk = session.scalars(select(Chunk).where(Chunk.classification == "public")).first()
        assert chunk is not None
    quote = "Les bacs roulants doivent être placés en bordure de rue avant 7 h le jour de la collecte."
    assert quote in WASTE
    page = library.client.get(f"/sources/{chunk.id}", params={"citation": quote}).text
    assert f"<mark>{quote}</mark>" in page.replace("&#39;", "'")
    assert 'id="passage"' in page


def test_a_source_above_the_readers_clearance_or_of_another_tenant_is_not_found(
    library: Member, member_of: Callable[..., Member], make_tenant: Callable[..., Tenant], engine: Engine
):
    with tenant_session(library.tenant.id, engine) as session:
        confidential = session.scalars(select(Chunk.id).where(Chunk.classification == "confidential")).first()
    assert library.client.get(f"/sources/{confidential}").status_code == 404
    outsider = member_of("admin", tenant=make_tenant())
    assert outsider.client.get(f"/sources/{confidential}").status_code == 404
    manager = member_of("manager")
    assert manager.client.get(f"/sources/{confidential}").status_code == 200


def test_summarise_in_plain_language_shows_the_readability_score(library: Member, engine: Engine):
    with open_session(engine) as session:
        document_id = session.scalars(
            select(Document.id).where(
                Document.tenant_id == library.tenant.id, Document.title == "Collecte des ordures"
            )
        ).one()
    page = _post(library, "/assistant/resume", document_ids=document_id, audience="plain", action="send")
    assert "Kandel–Moles" in page and "/100" in page


def test_revise_shows_the_changes_with_ins_and_del(library: Member):
    page = _post(
        library,
        "/assistant/revision",
        text="la collecte a lieu le le mardi ,avant 7 h.",
        mode="correct",
        action="send",
    )
    assert "<del>" in page and "<ins>" in page
    assert "La collecte a lieu le mardi, avant 7 h." in page


def test_a_person_deletes_a_conversation_and_their_whole_history(library: Member):
    _post(library, "/assistant/question", question=WASTE_QUESTION, action="send")
    _post(library, "/assistant/question", question="Quand passent les encombrants ?", action="send")
    conversations = library.client.get("/api/assistant/conversations").json()
    assert len(conversations) == 2
    first = conversations[0]["id"]
    assert library.client.get(f"/assistant/historique/{first}").status_code == 200
    library.client.post(
        f"/assistant/historique/{first}/supprimer", data={"csrf_token": csrf_of(library.client)}
    )
    assert library.client.get(f"/assistant/historique/{first}").status_code == 404
    library.client.post("/assistant/historique/supprimer", data={"csrf_token": csrf_of(library.client)})
    assert library.client.get("/api/assistant/conversations").json() == []


def test_the_json_api_follows_the_ask_contract(library: Member, engine: Engine):
    client = library.client
    refused = client.post("/api/assistant/ask", json={"question": WASTE_QUESTION})
    assert refused.status_code == 403  # a browser session must send its CSRF token
    answer = client.post(
        "/api/assistant/ask", json={"question": WASTE_QUESTION}, headers={"X-CSRF-Token": csrf_of(client)}
    ).json()
    assert {"answer", "citations", "backend", "disclosure", "masked"} <= answer.keys()
    assert set(answer["citations"][0]) == {"document_id", "title", "page", "quote"}
    with open_session(engine) as session:
        token = create_api_token(
            session, session.merge(library.tenant), session.merge(library.user), "outil"
        ).token
        session.commit()
    revised = client.post(
        "/api/assistant/revise",
        json={"text": "bonjour  monde", "mode": "correct"},
        headers={"Authorization": f"Bearer {token}"},
        cookies={},
    )
    assert revised.status_code == 200 and revised.json()["answer"] == "Bonjour monde"


def test_the_stream_sends_deltas_then_the_final_result(library: Member):
    response = library.client.post(
        "/api/assistant/ask/stream",
        json={"question": WASTE_QUESTION},
        headers={"X-CSRF-Token": csrf_of(library.client)},
    )
    assert response.headers["content-type"].startswith("text/event-stream")
    events = re.findall(r"event: (\w+)\ndata: (.*)\n\n", response.text)
    assert events[0][0] == "delta" and events[-1][0] == "done"
    final = json.loads(events[-1][1])["result"]
    assert "mardi" in final["answer"] and final["citations"]


def test_an_administrator_edits_a_template_that_drafts_then_use(member_of: Callable[..., Member]):
    admin = member_of("admin")
    assert admin.client.get("/assistant/modeles").status_code == 200
    admin.client.post(
        "/assistant/modeles",
        data={
            "kind": "memo",
            "csrf_token": csrf_of(admin.client),
            "instructions": "Note brève.",
            "skeleton": "NOTE DE LA VILLE DE SAINT-BALISE\n\n{demande}",
        },
    )
    page = _post(
        admin, "/assistant/redaction", template="memo", text="Fermeture du garage municipal", action="send"
    )
    assert "NOTE DE LA VILLE DE SAINT-BALISE" in page and "Fermeture du garage municipal" in page
    employee = member_of("employee")
    assert employee.client.get("/assistant/modeles").status_code == 403


def test_a_policy_warning_is_shown_then_confirmed_and_a_block_can_be_contested(library: Member):
    question = "Quelle est la capitale de la Norvège ?"  # X5: a search engine answers it
    page = _post(library, "/assistant/question", question=question, action="send")
    assert 'class="warn-box"' in page and 'name="confirmed"' in page
    assert "/politique/contestation?decision=" in page
    page = _post(library, "/assistant/question", question=question, action="send", confirmed="1")
    assert 'class="assistant-result"' in page
    blocked = library.client.post(
        "/assistant/question",
        data={
            "csrf_token": csrf_of(library.client),
            "action": "send",
            "question": RANKING_CANDIDATES,
        },
    )
    assert blocked.status_code == 403 and "/politique/contestation?decision=" in blocked.text
