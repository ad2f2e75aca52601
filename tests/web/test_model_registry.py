"""The model registry page: transparent for all, managed by administrators, keys never shown back."""

from __future__ import annotations

from sqlalchemy import select

from balise.audit.models import AuditEntry
from balise.db import open_session
from balise.gateway import CAUTION_THRESHOLDS, Gateway, list_backends, register_backend
from balise.gateway.registry import api_key_of
from tests.support.openai_server import OpenAIServer
from tests.support.ports import refused_port
from tests.support.rerank_server import RerankServer
from tests.support.web import Member, csrf_of

SECRET_KEY = "sk-tres-secret-1234567890"


def _add(member: Member, **form: str):  # type: ignore[no-untyped-def]
    data = {
        "csrf_token": csrf_of(member.client),
        "name": "Llama local",
        "provider": "vllm",
        "endpoint": "http://10.0.0.5:8000/v1",
        "model": "llama-3.1-8b",
        "hosting": "on_premises",
        "max_classification": "internal",
        "price_per_1k_tokens": "0,002",
        "currency": "CAD",
        **form,
    }
    return member.client.post("/modeles", data=data)


def _backend_id(engine, tenant_id: str, name: str) -> str:  # type: ignore[no-untyped-def]
    with open_session(engine) as session:
        return next(b.id for b in list_backends(session, tenant_id) if b.name == name)


def test_everyone_sees_the_models_and_the_built_in_fallback_read_only(make_member):
    employee: Member = make_member("employee")
    page = employee.client.get("/modeles")
    assert page.status_code == 200
    assert "Extraits des documents (intégré)" in page.text
    assert "Seul un administrateur peut ajouter" in page.text
    assert 'action="/modeles"' not in page.text
    assert 'href="/modeles"' in employee.client.get("/").text
    refused = _add(employee)
    assert refused.status_code == 403


def test_admin_adds_a_model_and_the_key_is_never_shown_back(make_member, engine):
    admin: Member = make_member("admin")
    response = _add(admin, api_key=SECRET_KEY, allows_masked_personal="true", wh_per_1k_tokens="0,5")
    assert response.status_code == 200, response.text
    assert "Le modèle Llama local a été ajouté" in response.text
    assert SECRET_KEY not in response.text and SECRET_KEY not in admin.client.get("/modeles").text
    assert "Conservée chiffrée" in response.text
    assert "Masqués seulement" in response.text
    with open_session(engine) as session:
        (backend,) = list_backends(session, admin.tenant.id)
        audited = session.scalar(
            select(AuditEntry).where(
                AuditEntry.target_id == backend.id, AuditEntry.action == "model.registered"
            )
        )
    assert backend.price_per_1k_tokens == 0.002 and backend.wh_per_1k_tokens == 0.5
    assert backend.is_default and backend.api_key_encrypted and SECRET_KEY not in backend.api_key_encrypted
    assert audited is not None and audited.actor == admin.user.id


def test_a_refused_model_comes_back_in_french_with_the_form_filled_but_not_the_key(make_member):
    admin: Member = make_member("admin")
    not_a_number = _add(admin, price_per_1k_tokens="gratuit", api_key=SECRET_KEY)
    assert not_a_number.status_code == 422
    assert "« gratuit » n’est pas un nombre" in not_a_number.text
    for price in ("nan", "inf", "1e400", "-1", "²"):  # never stored, never a 500
        odd = _add(admin, price_per_1k_tokens=price)
        assert odd.status_code == 422 and f"« {price} » n’est pas un nombre entre 0 et" in odd.text, price
    huge = _add(admin, max_retries="1" + "0" * 30)
    assert huge.status_code == 422 and "n’est pas un nombre entre 0 et" in huge.text
    assert 'value="llama-3.1-8b"' in not_a_number.text and SECRET_KEY not in not_a_number.text
    bad_endpoint = _add(admin, endpoint="ftp://serveur")
    assert bad_endpoint.status_code == 422 and 'value="ftp://serveur"' in bad_endpoint.text
    _add(admin)
    duplicate = _add(admin)
    assert duplicate.status_code == 422
    assert admin.client.post("/modeles", data={"name": "sans jeton"}).status_code == 403  # CSRF


def test_the_default_can_be_changed_and_a_model_removed_after_confirmation(make_member, engine):
    admin: Member = make_member("admin")
    _add(admin)
    _add(admin, name="Albert", provider="albert", endpoint="https://albert.example/v1", hosting="eu")
    albert = _backend_id(engine, admin.tenant.id, "Albert")
    made = admin.client.post(f"/modeles/{albert}/defaut", data={"csrf_token": csrf_of(admin.client)})
    assert made.status_code == 200 and made.url.path == "/modeles"
    with open_session(engine) as session:
        assert list_backends(session, admin.tenant.id)[0].name == "Albert"

    confirm = admin.client.get(f"/modeles/{albert}/suppression")
    assert confirm.status_code == 200 and "C’est le modèle par défaut" in confirm.text
    removed = admin.client.post(f"/modeles/{albert}/suppression", data={"csrf_token": csrf_of(admin.client)})
    assert removed.status_code == 200
    with open_session(engine) as session:
        remaining = list_backends(session, admin.tenant.id)
    assert [b.name for b in remaining] == ["Llama local"] and remaining[0].is_default
    manager = make_member("manager", tenant=admin.tenant)
    llama = remaining[0].id
    assert manager.client.get(f"/modeles/{llama}/suppression").status_code == 403
    token = csrf_of(manager.client)
    assert manager.client.post(f"/modeles/{llama}/defaut", data={"csrf_token": token}).status_code == 403


def test_connection_test_against_a_real_loopback_server(make_member, engine, monkeypatch):
    # The loopback server answers in milliseconds, but a loaded machine may take longer than the
    # product's 5 s, which would turn "works" into "no answer".
    monkeypatch.setattr("balise.gateway.connection.CONNECTION_TIMEOUT_S", 60.0)
    admin: Member = make_member("admin")
    with OpenAIServer(model="fake-model") as server:
        _add(admin, name="Local", endpoint=server.base_url, model="fake-model", api_key="cle")
        _add(admin, name="Mauvais modèle", endpoint=server.base_url, model="autre-modele")
        ok = admin.client.post(
            f"/modeles/{_backend_id(engine, admin.tenant.id, 'Local')}/test",
            data={"csrf_token": csrf_of(admin.client)},
        )
        assert ok.status_code == 200
        assert "La connexion fonctionne" in ok.text and "<code>fake-model</code>" in ok.text
        wrong = admin.client.post(
            f"/modeles/{_backend_id(engine, admin.tenant.id, 'Mauvais modèle')}/test",
            data={"csrf_token": csrf_of(admin.client)},
        )
        assert "n’offre pas le modèle autre-modele" in wrong.text
    # A port held bound but not listening refuses connections, and no other process (another xdist
    # worker's server) can take it meanwhile, as it could a port released before the request.
    with refused_port() as port:
        _add(admin, name="Éteint", endpoint=f"http://127.0.0.1:{port}/v1")
        down = admin.client.post(
            f"/modeles/{_backend_id(engine, admin.tenant.id, 'Éteint')}/test",
            data={"csrf_token": csrf_of(admin.client)},
        )
    assert down.status_code == 200 and "est injoignable" in down.text


def test_admin_adds_a_reranking_server_and_tests_it(make_member, engine, monkeypatch):
    """It is listed with what it is used for, can never be the default, and its test says how fast it is."""
    monkeypatch.setattr("balise.gateway.connection.CONNECTION_TIMEOUT_S", 60.0)
    admin: Member = make_member("admin")
    _add(admin)  # the generative default
    with RerankServer(favoured="collecte") as server:
        added = _add(admin, name="Reclassement", provider="rerank-tei", endpoint=server.base_url, model="bge")
        assert added.status_code == 200 and "Le modèle Reclassement a été ajouté" in added.text
        assert "Reclasse les passages de la recherche" in added.text
        assert "Définir par défaut" not in added.text  # the default is the generative model already
        backend_id = _backend_id(engine, admin.tenant.id, "Reclassement")
        tested = admin.client.post(f"/modeles/{backend_id}/test", data={"csrf_token": csrf_of(admin.client)})
    assert "le serveur de reclassement a noté deux passages d’essai" in tested.text
    assert "son délai : 2 s" in tested.text  # the timeout left empty: a reranking server's default
    second = _add(admin, name="Autre", provider="rerank", endpoint=server.base_url, model="bge")
    assert second.status_code == 422 and "Un serveur de reclassement est déjà inscrit" in second.text
    with open_session(engine) as session:
        assert Gateway(session, admin.tenant.id).choose("internal", False).name == "Llama local"


def test_another_municipality_never_reaches_a_model(make_member, engine):
    member_a: Member = make_member("admin", name="Ville A")
    member_b: Member = make_member("admin", name="Ville B")
    with open_session(engine) as session:
        backend = register_backend(
            session,
            member_b.tenant.id,
            name="Modèle de B",
            endpoint="http://b.example/v1",
            model="m",
            hosting="quebec",
        )
        session.commit()
    client = member_a.client
    assert "Modèle de B" not in client.get("/modeles").text
    token = csrf_of(client)
    for action in ("test", "defaut", "suppression"):
        path = f"/modeles/{backend.id}/{action}"
        assert client.post(path, data={"csrf_token": token}).status_code == 404
    assert client.get(f"/modeles/{backend.id}/suppression").status_code == 404
    with open_session(engine) as session:
        assert [b.name for b in list_backends(session, member_b.tenant.id)] == ["Modèle de B"]


def test_admin_edits_a_model_and_the_stored_key_is_kept_unless_replaced(make_member, engine):
    admin: Member = make_member("admin")
    _add(admin, api_key=SECRET_KEY)
    backend_id = _backend_id(engine, admin.tenant.id, "Llama local")
    form = admin.client.get(f"/modeles/{backend_id}")
    assert form.status_code == 200
    assert 'value="llama-3.1-8b"' in form.text and SECRET_KEY not in form.text
    assert "Une clé est conservée" in form.text

    data = {
        "csrf_token": csrf_of(admin.client),
        "name": "Llama local 70B",
        "provider": "vllm",
        "endpoint": "http://10.0.0.5:8000/v1",
        "model": "llama-3.1-70b",
        "hosting": "quebec",
        "max_classification": "confidential",
        "price_per_1k_tokens": "0,01",
        "currency": "CAD",
        "is_default": "true",
    }
    refused = admin.client.post(f"/modeles/{backend_id}", data={**data, "timeout_s": "vite"})
    assert refused.status_code == 422 and "« vite » n’est pas un nombre" in refused.text
    assert 'value="llama-3.1-70b"' in refused.text
    saved = admin.client.post(f"/modeles/{backend_id}", data=data)
    assert saved.status_code == 200 and saved.url.path == "/modeles"
    assert "Llama local 70B" in saved.text
    with open_session(engine) as session:
        (backend,) = list_backends(session, admin.tenant.id)
        assert (backend.model, backend.hosting, backend.max_classification) == (
            "llama-3.1-70b",
            "quebec",
            "confidential",
        )
        assert backend.is_default and api_key_of(backend) == SECRET_KEY

    manager = make_member("manager", tenant=admin.tenant)
    assert manager.client.get(f"/modeles/{backend.id}").status_code == 403
    token = csrf_of(manager.client)
    assert (
        manager.client.post(f"/modeles/{backend.id}", data={**data, "csrf_token": token}).status_code == 403
    )
    other: Member = make_member("admin", name="Ville C")
    assert other.client.get(f"/modeles/{backend.id}").status_code == 404
    stolen = other.client.post(f"/modeles/{backend.id}", data={**data, "csrf_token": csrf_of(other.client)})
    assert stolen.status_code == 404


def test_admin_chooses_how_cautious_extracted_answers_are(make_member, engine):
    admin: Member = make_member("admin")
    employee: Member = make_member("employee", tenant=admin.tenant)
    page = admin.client.get("/modeles")
    assert "Prudence des réponses extraites" in page.text
    assert 'id="caution-standard" name="caution" value="standard" checked' in page.text
    saved = admin.client.post(
        "/modeles/prudence", data={"csrf_token": csrf_of(admin.client), "caution": "strict"}
    )
    assert saved.status_code == 200, saved.text
    assert "La prudence des réponses extraites a été enregistrée" in saved.text
    assert 'value="strict" checked' in saved.text
    with open_session(engine) as session:
        # The level reaches every extracted answer of this municipality, staff's and residents'.
        assert Gateway(session, admin.tenant.id).extractive.abstain_below == CAUTION_THRESHOLDS["strict"]
        audited = session.scalar(select(AuditEntry).where(AuditEntry.action == "gateway.caution_set"))
    assert audited is not None and audited.actor == admin.user.id

    unknown = admin.client.post(
        "/modeles/prudence", data={"csrf_token": csrf_of(admin.client), "caution": "max"}
    )
    assert unknown.status_code == 422 and "Niveau de prudence inconnu « max »" in unknown.text

    assert "Niveau actuel : <strong>Strict" in employee.client.get("/modeles").text
    refused = employee.client.post(
        "/modeles/prudence", data={"csrf_token": csrf_of(employee.client), "caution": "standard"}
    )
    assert refused.status_code == 403
