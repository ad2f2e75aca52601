"""The AI system register (G1, P3): records, automatic entries, the public view and its exports.

Balise's own tasks and every model of the gateway registry are entered automatically by
:func:`sync_register` and kept current each time the register is read: the platform knows their
supplier, hosting and status; what only people know (purpose in the municipality's words, who is
responsible) is written by the managers and never overwritten.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise import audit
from balise.bounds import optional_date
from balise.db.base import utcnow
from balise.errors import Invalid, NotFound
from balise.gateway import ModelBackend, kind_of
from balise.governance.gates import GATED, check_move
from balise.governance.hosting import HOSTINGS
from balise.governance.models import AISystem, SystemSource, SystemStatus
from balise.governance.roles import check_member
from balise.governance.vendors import get_vendor
from balise.spreadsheet import write_csv
from balise.tenancy import Tenant

# Fields a manager edits; the order is the form's and the exports'.
TEXT_FIELDS = (
    "name",
    "purpose",
    "description",
    "category",
    "owner_team",
    "responsible_person",
    "supplier",
    "hosting",
    "data_used",
    "human_oversight",
    "risks",
    "mitigations",
    "lawful_basis",
)
EUROCITIES_VERSION = "0.3.1"

_OVERSIGHT = (
    "Une personne relit et vérifie chaque texte; tout texte destiné au public ou à une décision "
    "concernant une personne est approuvé par un réviseur avant de sortir de Balise."
)
_DATA = (
    "Les documents de la municipalité que la personne a le droit de lire. Les renseignements "
    "personnels sont remplacés par des marqueurs avant tout envoi à un modèle."
)
_RISKS = "Erreurs ou inventions dans le texte produit; fuite de renseignements personnels; biais."
_MITIGATIONS = (
    "Sources citées et vérifiées; mention d’IA sur chaque texte; masquage des renseignements "
    "personnels (échec fermé); révision humaine; journal d’audit."
)


@dataclass(frozen=True)
class BuiltIn:
    """One of Balise's own capabilities, as it is declared to residents."""

    key: str
    name: str
    purpose: str
    description: str
    category: str


BALISE_TASKS = (
    BuiltIn(
        "task:ask",
        "Assistant documentaire (Balise)",
        "Aider le personnel à trouver rapidement l’information dans les documents de la municipalité.",
        "Répond aux questions du personnel à partir des documents municipaux, en citant ses sources.",
        "information",
    ),
    BuiltIn(
        "task:summarise",
        "Résumés de documents (Balise)",
        "Produire des résumés adaptés à un public (personnel, élus, citoyens).",
        "Résume un ou plusieurs documents et indique le niveau de lisibilité du résumé.",
        "rédaction",
    ),
    BuiltIn(
        "task:draft",
        "Aide à la rédaction (Balise)",
        "Préparer des premières versions de courriels, notes, offres d’emploi et communiqués.",
        "Rédige une première version à partir d’un gabarit de la municipalité; une personne la complète.",
        "rédaction",
    ),
    BuiltIn(
        "task:revise",
        "Révision et langage clair (Balise)",
        "Corriger l’orthographe et réécrire des textes en langage clair pour l’accessibilité.",
        "Corrige un texte ou le réécrit en langage clair et montre chaque modification.",
        "rédaction",
    ),
    BuiltIn(
        "task:search",
        "Recherche sémantique (Balise)",
        "Retrouver les passages pertinents des documents, même formulés autrement.",
        "Compare le sens de la question à celui des passages (modèle multilingual-e5-small, local).",
        "information",
    ),
    BuiltIn(
        "task:citizen",
        "Assistant citoyen (Balise)",
        "Répondre plus vite aux questions de la population sur le site de la municipalité, à partir de "
        "ses informations publiques.",
        "Répond aux questions des résidentes et résidents à partir des seuls documents publics qu’une "
        "personne a approuvés, en citant ses sources; dirige vers les urgences, le dossier personnel ou "
        "un autre gouvernement quand la question l’exige, et offre toujours de parler à une personne.",
        "service aux citoyens",
    ),
    BuiltIn(
        "task:openai_api",
        "API compatible OpenAI (Balise)",
        "Offrir au personnel une seule porte autorisée pour ses outils d’IA (clients de clavardage, "
        "extensions d’éditeur, scripts) plutôt que des services non approuvés.",
        "Relaie les demandes des outils qui parlent l’API d’OpenAI vers un modèle approuvé pour les "
        "données, après la politique d’utilisation et le masquage des renseignements personnels; chaque "
        "demande est journalisée avec son empreinte.",
        "outils du personnel",
    ),
    BuiltIn(
        "task:transcription",
        "Résumés d’enregistrements audio (Balise)",
        "Transcrire les enregistrements de réunions pour les chercher, les interroger et les résumer.",
        "Découpe l’enregistrement, le fait transcrire par un serveur approuvé pour sa classification, "
        "passe la transcription au détecteur de renseignements personnels et la verse à la bibliothèque; "
        "chaque citation ouvre l’enregistrement au moment cité.",
        "information",
    ),
    BuiltIn(
        "task:images",
        "Visuels de communication (Balise)",
        "Produire des images pour la communication municipale, sans personne réelle ni œuvre protégée.",
        "Génère une image par un serveur approuvé après la politique d’utilisation; chaque image porte "
        "un manifeste C2PA signé par la municipalité et la mention IPTC « trainedAlgorithmicMedia ».",
        "communication",
    ),
    BuiltIn(
        "task:privacy_guard",
        "Détection des renseignements personnels (Balise)",
        "Retirer les renseignements personnels avant tout envoi à un modèle d’IA générative.",
        "Repère noms, adresses, numéros et autres renseignements personnels et les remplace par des "
        "marqueurs; si la détection échoue, rien n’est envoyé.",
        "protection",
    ),
)


def _audit(session: Session, system: AISystem, action: str, actor: str, **details: Any) -> None:
    audit.record(
        session,
        f"governance.system_{action}",
        actor=actor,
        tenant_id=system.tenant_id,
        target_type="ai_system",
        target_id=system.id,
        details=details,
    )


_MODEL_ROLES: dict[str, Callable[[ModelBackend], dict[str, str]]] = {
    "generative": lambda b: {
        "name": f"Modèle génératif {b.name} ({b.model})",
        "purpose": "Générer les réponses, résumés et textes des tâches de Balise.",
        "description": "Modèle de langage qui rédige à partir des passages fournis par Balise.",
    },
    "rerank": lambda b: {
        "name": f"Modèle de reclassement {b.name} ({b.model})",
        "purpose": "Remettre en ordre les passages trouvés par la recherche avant leur lecture.",
        "description": "Modèle qui note la pertinence de chaque passage pour la question; il n’écrit rien.",
    },
    "embeddings": lambda b: {
        "name": f"Modèle de vectorisation {b.name} ({b.model})",
        "purpose": "Calculer les vecteurs de textes que des outils demandent par l’API de Balise.",
        "description": "Modèle qui transforme un texte en vecteur numérique; il n’écrit rien.",
    },
    "transcription": lambda b: {
        "name": f"Modèle de transcription {b.name} ({b.model})",
        "purpose": "Transcrire les enregistrements de réunions versés à la bibliothèque.",
        "description": "Modèle qui écrit le texte dit dans un enregistrement, avec ses horodatages.",
    },
    "images": lambda b: {
        "name": f"Modèle de génération d’images {b.name} ({b.model})",
        "purpose": (
            "Produire des visuels de communication, sans personne réelle, marqués comme générés par IA."
        ),
        "description": "Modèle qui dessine une image à partir d’une description écrite.",
    },
}
"""How the register names and describes a model, by what it is used for (its entry's French texts)."""


def _model_fields(backend: ModelBackend) -> dict[str, Any]:
    return {
        "supplier": backend.provider,
        "hosting": backend.hosting,
        "data_used": (
            f"Données jusqu’à la classification « {backend.max_classification} »; "
            + (
                "renseignements personnels reçus seulement sous forme de marqueurs."
                if backend.allows_masked_personal
                else "aucun renseignement personnel, même masqué."
            )
        ),
    }


def sync_register(session: Session, tenant: Tenant, *, actor: str = "system") -> int:
    """Enter Balise's tasks and the registry's models; retire entries of withdrawn models.

    Returns how many records changed. Fields people wrote are left alone.
    """
    existing = {s.key: s for s in session.scalars(select(AISystem).where(AISystem.tenant_id == tenant.id))}
    backends = list(session.scalars(select(ModelBackend).where(ModelBackend.tenant_id == tenant.id)))
    changed = 0
    for task in BALISE_TASKS:
        if task.key not in existing:
            system = AISystem(
                tenant_id=tenant.id,
                key=task.key,
                source=SystemSource.BALISE_TASK.value,
                name=task.name,
                purpose=task.purpose,
                description=task.description,
                category=task.category,
                supplier="Balise (logiciel libre)",
                hosting="on_premises",
                data_used=_DATA,
                human_oversight=_OVERSIGHT,
                risks=_RISKS,
                mitigations=_MITIGATIONS,
                status=SystemStatus.PRODUCTION.value,
                published=True,
                start_date=date.today(),
            )
            session.add(system)
            session.flush()
            _audit(session, system, "entered", actor, source=system.source)
            changed += 1
    live = set()
    for backend in backends:
        key = f"model:{backend.name}"
        live.add(key)
        fields = _model_fields(backend)
        found = existing.get(key)
        if found is None:
            system = AISystem(
                tenant_id=tenant.id,
                key=key,
                source=SystemSource.MODEL.value,
                **_MODEL_ROLES[kind_of(backend.provider)](backend),
                category="modèle",
                human_oversight=_OVERSIGHT,
                risks=_RISKS,
                mitigations=_MITIGATIONS,
                status=SystemStatus.PRODUCTION.value,
                published=True,
                start_date=date.today(),
                **fields,
            )
            session.add(system)
            session.flush()
            _audit(session, system, "entered", actor, source=system.source, hosting=backend.hosting)
            changed += 1
            continue
        system = found
        updates = {k: v for k, v in fields.items() if getattr(system, k) != v}
        if system.status == SystemStatus.RETIRED.value:
            updates.update(status=SystemStatus.PRODUCTION.value, end_date=None)
        if updates:
            for name, value in updates.items():
                setattr(system, name, value)
            _audit(session, system, "synced", actor, fields=sorted(updates))
            changed += 1
    for key, system in existing.items():
        retired = system.status == SystemStatus.RETIRED.value
        if system.source == SystemSource.MODEL.value and key not in live and not retired:
            system.status, system.end_date = SystemStatus.RETIRED.value, date.today()
            _audit(session, system, "retired", actor, reason="model_removed")
            changed += 1
    session.flush()
    return changed


def list_systems(session: Session, *, published_only: bool = False) -> list[AISystem]:
    """The register of the session's municipality, in production first, then by name."""
    stmt = select(AISystem)
    if published_only:
        stmt = stmt.where(AISystem.published.is_(True))
    order = {
        s.value: i
        for i, s in enumerate(
            (SystemStatus.PRODUCTION, SystemStatus.PILOT, SystemStatus.PLANNED, SystemStatus.RETIRED)
        )
    }
    return sorted(session.scalars(stmt), key=lambda s: (order.get(s.status, 9), s.name.lower()))


def get_system(session: Session, system_id: str) -> AISystem:
    system = session.scalars(select(AISystem).where(AISystem.id == system_id)).first()
    if system is None:
        raise NotFound(
            "This AI system is not in the register. It may have been deleted; go back to the list."
        )
    return system


def save_system(
    session: Session,
    tenant_id: str,
    form: Mapping[str, str],
    *,
    actor: str,
    system: AISystem | None = None,
) -> AISystem:
    """Create or update a record from the form's fields; refused values raise :class:`Invalid`."""
    values = {name: str(form.get(name, "")).strip() for name in TEXT_FIELDS}
    if not values["name"]:
        raise Invalid("Give the AI system a name, for example “Assistant documentaire”.")
    if not values["purpose"]:
        raise Invalid("Say what the system is for: residents read this first.")
    if values["hosting"] and values["hosting"] not in HOSTINGS:
        raise Invalid("Choose where the system is hosted from the list.")
    status = str(form.get("status", SystemStatus.PLANNED.value))
    if status not in {s.value for s in SystemStatus}:
        raise Invalid("Choose a status from the list: planned, pilot, in production or retired.")
    start = optional_date(str(form.get("start_date", "")), "start date")
    end = optional_date(str(form.get("end_date", "")), "end date")
    if start and end and end < start:
        raise Invalid("The end date comes before the start date. Correct one of them.")
    responsible_user = str(form.get("responsible_user_id", "")).strip() or None
    check_member(session, tenant_id, responsible_user)
    vendor_id = str(form.get("vendor_assessment_id", "")).strip() or None
    if vendor_id is not None:
        get_vendor(session, vendor_id)
    created = system is None
    if system is None:
        if status in GATED:
            check_move(session, tenant_id, None, "", actor=actor)
        system = AISystem(tenant_id=tenant_id, key=f"manual:{utcnow().strftime('%Y%m%d%H%M%S%f')}")
        session.add(system)
    before = {name: getattr(system, name) for name in (*TEXT_FIELDS, *_OTHER_FIELDS)}
    for name, value in values.items():
        setattr(system, name, value)
    system.status, system.start_date, system.end_date = status, start, end
    system.published = _checked(form, "published")
    system.no_vendor = _checked(form, "no_vendor")
    system.vendor_assessment_id = None if system.no_vendor else vendor_id
    system.responsible_user_id = responsible_user
    session.flush()
    changed = sorted(n for n, v in before.items() if getattr(system, n) != v)
    _audit(session, system, "created" if created else "updated", actor, fields=changed, status=status)
    check_move(session, tenant_id, system, before["status"] or SystemStatus.PLANNED.value, actor=actor)
    return system


_OTHER_FIELDS = ("status", "published", "no_vendor", "vendor_assessment_id")


def _checked(form: Mapping[str, str], name: str) -> bool:
    return str(form.get(name, "")) in {"1", "on", "true", "yes"}


# --- the public view and its exports ---------------------------------------------------------------

PUBLIC_COLUMNS = (
    "id",
    "name",
    "purpose",
    "description",
    "category",
    "status",
    "owner_team",
    "responsible_person",
    "supplier",
    "hosting",
    "data_used",
    "human_oversight",
    "risks",
    "mitigations",
    "impact_level",
    "start_date",
    "end_date",
    "updated_at",
)


def public_record(system: AISystem) -> dict[str, Any]:
    """A published record as the open-data exports give it (JSON and CSV share the keys)."""
    row: dict[str, Any] = {}
    for name in PUBLIC_COLUMNS:
        value = getattr(system, name)
        row[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return row


def public_json(tenant: Tenant, systems: Sequence[AISystem], complaint_url: str) -> dict[str, Any]:
    return {
        "municipality": tenant.name,
        "slug": tenant.slug,
        "generated_at": utcnow().isoformat(),
        "complaints": complaint_url,
        "systems": [public_record(s) for s in systems],
    }


def public_csv(systems: Sequence[AISystem]) -> str:
    return write_csv((public_record(system) for system in systems), PUBLIC_COLUMNS)


_EUROCITIES_STATUS = {
    SystemStatus.PLANNED.value: "development",
    SystemStatus.PILOT.value: "development",
    SystemStatus.PRODUCTION.value: "in use",
    SystemStatus.RETIRED.value: "out of use",
}


def eurocities_json(
    tenant: Tenant, systems: Sequence[AISystem], *, url: str, complaint_url: str, contact_email: str
) -> list[dict[str, Any]]:
    """The register in the Eurocities / Dutch Algorithmic Transparency Standard schema (v0.3.1).

    Field names are the standard's, so a register can be aggregated with Amsterdam's, Helsinki's…
    (G16, G17); what Balise does not know stays empty rather than invented.
    """
    rows = []
    for s in systems:
        rows.append(
            {
                "name": s.name,
                "organization": tenant.name,
                "department": s.owner_team,
                "description_short": s.purpose,
                "type": "Generative AI" if s.source != SystemSource.MANUAL.value else s.category,
                "category": [s.category] if s.category else [],
                "website": url,
                "status": _EUROCITIES_STATUS.get(s.status, s.status),
                "goal": s.purpose,
                "impact": f"Niveau d’impact {s.impact_level}" if s.impact_level else "",
                "proportionality": "",
                "decision_making_process": s.human_oversight,
                "documentation": "",
                "competent_authority": s.responsible_person,
                "lawful_basis": s.lawful_basis,
                "iama": "yes" if s.impact_level else "no",
                "iama_description": (
                    f"Évaluation d’impact algorithmique : niveau {s.impact_level}" if s.impact_level else ""
                ),
                "dpia": "yes" if s.impact_level else "no",
                "dpia_description": "",
                "objection_procedure": complaint_url,
                "standard_version": EUROCITIES_VERSION,
                "uuid": s.id,
                "url": f"{url}#systeme-{s.id}",
                "contact_email": contact_email,
                "area": tenant.name,
                "lang": "fr",
                "revision_date": s.updated_at.date().isoformat() if s.updated_at else "",
                "description": s.description,
                "application_url": "",
                "publiccode": "",
                "mprd": "",
                "source_data": s.data_used,
                "methods_and_models": s.supplier,
                "monitoring": s.mitigations,
                "human_intervention": s.human_oversight,
                "risks": s.risks,
                "performance_standard": "",
                "provider": s.supplier,
                "begin_date": s.start_date.isoformat() if s.start_date else "",
                "end_date": s.end_date.isoformat() if s.end_date else "",
            }
        )
    return rows
