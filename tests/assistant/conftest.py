"""Assistant fixtures: signed-in members, a document library, and a model server on loopback."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from balise.assistant import Requester
from balise.config import get_settings
from balise.db import open_session, tenant_session
from balise.documents import Chunk, Document, chunk_text
from balise.gateway import register_backend
from balise.search import index_chunks
from balise.tenancy import Tenant, create_user, visible_classifications
from tests.support.openai_server import OpenAIServer, openai_server  # noqa: F401
from tests.support.web import PASSWORD, Member, app, csrf_of, make_member, sign_in  # noqa: F401

WASTE = (
    "Collecte des matières résiduelles\n\n"
    "La collecte des ordures ménagères a lieu chaque mardi matin. Les bacs roulants doivent être placés en "
    "bordure de rue avant 7 h le jour de la collecte. La collecte des matières recyclables a lieu le jeudi, "
    "une semaine sur deux. Les encombrants sont ramassés le premier lundi de chaque mois, sur inscription "
    "auprès du Service aux citoyens."
)
WATERING = (
    "Règlement sur l'arrosage\n\n"
    "L'arrosage des pelouses est permis les jours pairs pour les adresses paires et les jours impairs pour "
    "les adresses impaires, entre 20 h et 23 h. Le lavage des voitures est permis en tout temps avec un "
    "pistolet à fermeture automatique. Toute infraction entraîne une amende de 100 $."
)
CONFIDENTIAL = (
    "Note au dossier\n\n"
    "Le dossier de Gilberte Tremblay, NAS 130 692 544, concerne un permis de rénovation contesté. "
    "Elle a écrit depuis gilberte.tremblay@example.org et son téléphone est le 418 555-0199."
)
AddDocument = Callable[..., str]
RAW_VALUES = (
    "Gilberte",
    "Tremblay",
    "130 692 544",
    "gilberte.tremblay@example.org",
    "418 555-0199",
    "555-0199",
)


@pytest.fixture(autouse=True)
def _secret_key(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The vault and API keys are encrypted with the deployment secret; tests never touch ./var."""
    monkeypatch.setenv("BALISE_SECRET_KEY", "test-secret-key-for-the-assistant")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _adder(engine: Engine) -> AddDocument:
    def add(tenant_id: str, title: str, text: str, classification: str = "public", **fields: object) -> str:
        with tenant_session(tenant_id, engine) as session:
            document = Document(
                title=title,
                source=f"{title}-{uuid.uuid4().hex[:6]}.txt",
                sha256="0" * 64,
                classification=classification,
                status="ready",
                pages=1,
                **fields,
            )
            session.add(document)
            session.flush()
            chunks = [
                Chunk(
                    document_id=document.id,
                    ordinal=ordinal,
                    text=draft.text,
                    page=draft.page or 1,
                    heading_path=draft.heading_path,
                    char_start=draft.char_start,
                    char_end=draft.char_end,
                    classification=classification,
                )
                for ordinal, draft in enumerate(chunk_text(text, title=title))
            ]
            session.add_all(chunks)
            session.flush()
            index_chunks(session, chunks)
            session.commit()
            return document.id

    return add


@pytest.fixture
def add_document(engine: Engine) -> AddDocument:
    """Stores a ready document, chunked and indexed as the product does it, and returns its id."""
    return _adder(engine)


@pytest.fixture(scope="module")
def town(engine: Engine) -> Tenant:
    """One municipality per test module whose library holds public, internal and confidential documents.

    Indexing uses the real embedder, which is slow on a busy machine: the library is built once per
    module, and each test signs in its own person so that histories stay separate.
    """
    with open_session(engine) as session:
        tenant = Tenant(slug=f"town-{uuid.uuid4().hex[:12]}", name="Ville de Saint-Balise")
        session.add(tenant)
        session.commit()
    add = _adder(engine)
    add(tenant.id, "Collecte des ordures", WASTE)
    add(tenant.id, "Règlement sur l'arrosage", WATERING, classification="internal")
    add(tenant.id, "Note au dossier", CONFIDENTIAL, classification="confidential")
    return tenant


@pytest.fixture
def member_of(app, engine: Engine, town: Tenant) -> Callable[..., Member]:  # noqa: F811
    """A new signed-in person of ``town`` (or another tenant) with the given role."""

    def factory(role: str = "employee", tenant: Tenant | None = None) -> Member:
        tenant = tenant or town
        email = f"{role}-{uuid.uuid4().hex[:10]}@example.org"
        with open_session(engine) as session:
            user = create_user(
                session, session.merge(tenant), email, PASSWORD, role, display_name=f"{role} test"
            )
            session.commit()
        client = TestClient(app, headers={"accept": "text/html"})
        sign_in(client, email)
        return Member(tenant, user, client)

    return factory


@pytest.fixture
def library(member_of: Callable[..., Member]) -> Member:
    """An employee of the shared municipality."""
    return member_of("employee")


def requester_of(member: Member, role: str = "employee") -> Requester:
    return Requester(member.tenant, member.user.id, visible_classifications(role))


@pytest.fixture
def use_model(engine: Engine) -> Callable[..., None]:
    """Registers a loopback OpenAI-compatible server as the tenant's default model."""

    def register(tenant: Tenant, server: OpenAIServer, **fields: object) -> None:
        # Generous: the loopback server answers in milliseconds, but a loaded CI machine may take
        # seconds, and a timeout would turn the answer into the extractive fallback.
        settings: dict[str, object] = {"timeout_s": 60.0, "max_retries": 0, **fields}
        with tenant_session(tenant.id, engine) as session:
            register_backend(
                session,
                tenant.id,
                name="Modèle local",
                endpoint=server.base_url,
                model="fake-model",
                hosting="on_premises",
                max_classification="confidential",
                allows_masked_personal=True,
                **settings,
            )  # type: ignore[arg-type]
            session.commit()

    return register
