"""The demo municipality's shadow-AI rules: Balise and its registered model servers sanctioned, the
suggested public services forbidden, consequences set, a blocklist handed out and one example of an
« unsanctioned tool » incident with the consequence applied.

Idempotent like ``balise demo``: nothing is added once the municipality lists a service.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from balise.config import get_settings
from balise.errors import Invalid
from balise.gateway import list_backends
from balise.governance.incidents import save_incident
from balise.governance.shadow import list_services, load_suggestions, parse_domains, save_service
from balise.governance.shadow_feed import UNSANCTIONED_TOOL, download, set_consequences
from balise.governance.shadow_models import CONSEQUENCES, ServiceStatus
from balise.tenancy import Tenant

DEMO_HOST = "demo.balise.ca"  # the demo's address when Balise runs on a bare IP or localhost


def _host(url: str) -> str | None:
    """The host name of ``url`` when it is one a blocklist or a list can name (not an IP address)."""
    try:
        return parse_domains(urlsplit(url).hostname or "")[0]
    except (Invalid, IndexError):
        return None


def ensure_shadow_demo(session: Session, tenant: Tenant) -> None:
    if list_services(session):
        return
    sanctioned = ServiceStatus.SANCTIONED.value
    save_service(
        session,
        tenant.id,
        {
            "name": "Balise",
            "status": sanctioned,
            "domains": _host(get_settings().base_url) or DEMO_HOST,
            "note": "La plateforme d’IA de la municipalité : documents, rédaction, révision.",
        },
        actor="demo",
    )
    for backend in list_backends(session, tenant.id):
        host = _host(backend.endpoint)
        if host is not None and host != _host(get_settings().base_url):
            save_service(
                session,
                tenant.id,
                {
                    "name": f"Modèle {backend.name}",
                    "status": sanctioned,
                    "domains": host,
                    "note": "Serveur de modèle inscrit au registre des modèles, joint par Balise seulement.",
                },
                actor="demo",
            )
    load_suggestions(session, tenant.id, actor="demo")
    set_consequences(
        session,
        tenant.id,
        {
            "consequences": list(CONSEQUENCES),
            "consequences_note": "Gradation : rappel des règles, puis formation obligatoire, puis suspension "
            "de l’accès ; une mesure disciplinaire en cas de récidive ou de fuite de renseignements.",
        },
        actor="demo",
    )
    download(session, tenant, "rpz", actor="demo")
    save_incident(
        session,
        tenant.id,
        {
            "kind": UNSANCTIONED_TOOL,
            "consequence": "reminder",
            "circumstances": "Exemple de démonstration : une lettre sans renseignements personnels "
            "reformulée dans un service public interdit ; rappel des règles et de Balise.",
            "status": "closed",
        },
        actor="demo",
    )
    session.flush()
