"""The demo municipality: one person per role, so that every capability can be tried at once."""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.console import Console
from sqlalchemy import select
from sqlalchemy.orm import Session

from balise.config import Settings
from balise.tenancy import (
    PublicContact,
    Role,
    Tenant,
    create_tenant,
    create_user,
    membership_of,
    public_contact,
    set_public_contact,
)
from balise.tenancy.models import User

DEMO_SLUG = "demo"
DEMO_NAME = "Ville de Saint-Balise (démo)"
DEMO_PASSWORD = "balise-demo-2026"
DEMO_MODEL_NAME = "modele-municipal"
# Fictional, as in the demo library's FAQ (faq-citoyens.md).
DEMO_CONTACT = PublicContact(
    phone="819 555-0100",
    email="info@saint-balise.exemple.ca",
    address="100, place de l'Hôtel-de-Ville, Saint-Balise",
    opening_hours="Lundi au jeudi de 8 h 30 à 12 h et de 13 h à 16 h 30; vendredi de 8 h 30 à 12 h",
    emergency_phone="911",
    website="https://saint-balise.exemple.ca",
)
DEMO_PEOPLE = {  # e-mail, name, service (consumption and quotas are reported by service)
    Role.EMPLOYEE: ("employe@demo.balise.ca", "Émilie Employée", "Urbanisme"),
    Role.REVIEWER: ("reviseur@demo.balise.ca", "Rémi Réviseur", "Communications"),
    Role.MANAGER: ("gestionnaire@demo.balise.ca", "Geneviève Gestionnaire", "Direction générale"),
    Role.PRIVACY_OFFICER: ("vie-privee@demo.balise.ca", "Paul Protection", "Greffe"),
    Role.ADMIN: ("admin@demo.balise.ca", "Alice Admin", "Technologies de l'information"),
}


@dataclass
class DemoResult:
    tenant: Tenant
    created: bool
    logins: list[tuple[str, str]] = field(default_factory=list)
    model: str = ""


def ensure_demo(session: Session, progress: Console | None = None) -> DemoResult:
    """Idempotent: a second run changes nothing that exists and adds what is missing."""
    tenant = session.scalars(select(Tenant).where(Tenant.slug == DEMO_SLUG)).first()
    created = tenant is None
    if tenant is None:
        tenant = create_tenant(session, DEMO_SLUG, DEMO_NAME, region="QC", actor="demo")
    result = DemoResult(tenant, created)
    if public_contact(tenant) == PublicContact():
        set_public_contact(session, tenant, DEMO_CONTACT, actor="demo")
    for role, (email, name, service) in DEMO_PEOPLE.items():
        user = session.scalars(select(User).where(User.email == email)).first()
        if user is None or membership_of(session, user.id, tenant.id) is None:
            create_user(
                session,
                tenant,
                email,
                DEMO_PASSWORD,
                role.value,
                display_name=name,
                service=service,
                actor="demo",
            )
        result.logins.append((role.value, email))
    return result


def ensure_demo_model(session: Session, tenant: Tenant, settings: Settings) -> str:
    """Register ``BALISE_LLM_*`` as the demo's default model, or leave the extractive backend answering.

    The server is taken as hosted on premises, allowed up to ``internal`` data, and receives personal
    information only as placeholders (docs/architecture.md, stable contracts). The key stays in the
    environment.
    """
    from balise.gateway import get_backend, register_backend, remove_backend
    from balise.gateway.registry import BackendNotFound

    if not (settings.llm_base_url and settings.llm_model and settings.llm_api_key):
        return ""
    try:
        get_backend(session, tenant.id, DEMO_MODEL_NAME)
        remove_backend(session, tenant.id, DEMO_MODEL_NAME, actor="demo")
    except BackendNotFound:
        pass
    register_backend(
        session,
        tenant.id,
        name=DEMO_MODEL_NAME,
        endpoint=settings.llm_base_url,
        model=settings.llm_model,
        hosting="on_premises",
        max_classification="internal",
        allows_masked_personal=True,
        api_key_env="BALISE_LLM_API_KEY",
        is_default=True,
        actor="demo",
    )
    return settings.llm_model


def publish_demo_library(session: Session, tenant: Tenant) -> int:
    """The demo's reviewer approves its shipped public documents for residents (D1, P2).

    Only the files of the demo library, as shipped: anything else classified public waits for a
    person's approval on the « Publication » page, as in any municipality.
    """
    from balise.citizen import approve, pending_public_documents
    from balise.db.session import scope_session
    from balise.documents.demo import SOURCE_PREFIX

    scope_session(session, tenant.id)
    shipped = [
        d
        for d in pending_public_documents(session)
        if d.source.startswith(SOURCE_PREFIX) and d.status == "ready"
    ]
    for document in shipped:
        approve(session, tenant.id, document.id, actor="demo")
    return len(shipped)
