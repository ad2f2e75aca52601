"""The blocklists handed to IT (G8) and the consequences staff face (G9).

A blocklist is downloaded from the AI tools page or fetched at a stable address that needs no
session, for a DNS server, proxy or device-management tool that refreshes it on its own:
``/public/{slug}/liste-de-blocage/{format}?cle=KEY``. The key is derived from the instance secret
and the municipality's salt (HMAC-SHA256), compared in constant time; regenerating it changes the
salt, and the old address stops working at once. Each fetch is counted; a fetch of a list newer than
the last one handed out is audited as a publication (an automatic refresh every few minutes would
otherwise fill the audit log with copies of one event).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise import audit
from balise.bounds import check_length
from balise.config import get_settings
from balise.db.base import utcnow
from balise.errors import Forbidden, Invalid, NotFound
from balise.governance.blocklists import FORMATS, Blocklist, Source
from balise.governance.models import Incident
from balise.governance.shadow import list_services, policy_of
from balise.governance.shadow_models import CONSEQUENCES, AIService, AIServicePolicy, ServiceStatus
from balise.i18n import gettext_
from balise.tenancy import Tenant

MAX_CONSEQUENCES_NOTE = 4000
UNSANCTIONED_TOOL = "unsanctioned_tool"


class WrongFeedKey(Forbidden):
    code = "blocklist_key"


def feed_key(policy: AIServicePolicy) -> str:
    """The feed's key: derived, never stored, so only this instance's secret opens the address."""
    secret = get_settings().resolved_secret_key.encode()
    message = f"balise/ai-blocklist/{policy.tenant_id}/{policy.key_salt}".encode()
    digest = hmac.new(secret, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")[:32]


def rotate_key(session: Session, tenant_id: str, *, actor: str) -> AIServicePolicy:
    """A new key: the previous address answers 403 from now on."""
    policy = policy_of(session, tenant_id)
    policy.key_salt = secrets.token_hex(16)
    policy.key_rotated_at = utcnow()
    session.flush()
    audit.record(
        session,
        "governance.blocklist_key_rotated",
        actor=actor,
        tenant_id=tenant_id,
        target_type="ai_service_policy",
        target_id=policy.id,
    )
    return policy


def set_consequences(
    session: Session, tenant_id: str, form: Mapping[str, Any], *, actor: str
) -> AIServicePolicy:
    """The consequences the municipality applies to the use of a forbidden tool, and its wording."""
    chosen = form.get("consequences", [])
    chosen = [chosen] if isinstance(chosen, str) else list(chosen)
    if any(c not in CONSEQUENCES for c in chosen):
        raise Invalid("Choose the consequences from the list.")
    note = str(form.get("consequences_note", "")).strip()
    check_length(note, MAX_CONSEQUENCES_NOTE, gettext_("How the consequences are applied"))
    if not chosen:
        raise Invalid(
            "Tick at least one consequence: staff must know what follows the use of a forbidden tool."
        )
    policy = policy_of(session, tenant_id)
    policy.consequences = [c for c in CONSEQUENCES if c in chosen]
    policy.consequences_note = note
    session.flush()
    audit.record(
        session,
        "governance.consequences_set",
        actor=actor,
        tenant_id=tenant_id,
        target_type="ai_service_policy",
        target_id=policy.id,
        details={"consequences": policy.consequences},
    )
    return policy


def _source(session: Session, tenant: Tenant, policy: AIServicePolicy) -> Source:
    forbidden = list_services(session, ServiceStatus.FORBIDDEN.value)
    return Source(
        municipality=tenant.name,
        slug=tenant.slug,
        domains=[d for s in forbidden for d in s.domains],
        services=len(forbidden),
        changed_at=policy.forbidden_changed_at or policy.key_rotated_at,
        generated_at=utcnow(),
    )


def _render(name: str, source: Source) -> Blocklist:
    if name not in FORMATS:
        raise NotFound(
            "There is no blocklist format “{name}”: choose hosts, rpz, squid or chrome.", name=name[:20]
        )
    return FORMATS[name](source)


def _published(
    session: Session, tenant: Tenant, policy: AIServicePolicy, name: str, *, via: str, actor: str
) -> None:
    newer = not is_current(policy)
    policy.published_at = utcnow()
    policy.published_format = name
    if via == "feed":
        policy.fetches += 1
    if via == "page" or newer:
        audit.record(
            session,
            "governance.blocklist_published",
            actor=actor,
            tenant_id=tenant.id,
            target_type="ai_service_policy",
            target_id=policy.id,
            details={"format": name, "via": via},
        )
    session.flush()


def download(session: Session, tenant: Tenant, name: str, *, actor: str) -> Blocklist:
    """A blocklist from the page; handing it to IT counts as publishing it."""
    policy = policy_of(session, tenant.id)
    blocklist = _render(name, _source(session, tenant, policy))
    _published(session, tenant, policy, name, via="page", actor=actor)
    return blocklist


def fetch(session: Session, tenant: Tenant, name: str, key: str) -> Blocklist:
    """A blocklist at the stable address; ``session`` is scoped to ``tenant``, the key checked first."""
    policy = policy_of(session, tenant.id)
    if not hmac.compare_digest(key.encode(), feed_key(policy).encode()):
        raise WrongFeedKey(
            "This blocklist address has no key or an outdated one. Copy the full address again from "
            "the « AI tools » page of Balise: the key may have been regenerated."
        )
    blocklist = _render(name, _source(session, tenant, policy))
    _published(session, tenant, policy, name, via="feed", actor="system")
    return blocklist


def _aware(moment: datetime) -> datetime:
    """SQLite gives back naive datetimes that were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def is_current(policy: AIServicePolicy | None) -> bool:
    """A blocklist was handed out after the forbidden list last changed."""
    if policy is None or policy.published_at is None:
        return False
    changed = policy.forbidden_changed_at
    return changed is None or _aware(policy.published_at) >= _aware(changed)


@dataclass
class ShadowFacts:
    """What the conformity view reads of the lists, the blocklist and the consequences."""

    sanctioned: int = 0
    forbidden: int = 0
    forbidden_domains: int = 0
    published_at: datetime | None = None
    published_current: bool = False
    fetches: int = 0
    consequences: list[str] = field(default_factory=list)
    tool_incidents: int = 0
    tool_incidents_with_consequence: int = 0


def shadow_facts(session: Session, tenant_id: str) -> ShadowFacts:
    services = list_services(session)
    forbidden = [s for s in services if s.status == ServiceStatus.FORBIDDEN]
    policy = session.scalars(select(AIServicePolicy).where(AIServicePolicy.tenant_id == tenant_id)).first()
    incidents = list(session.scalars(select(Incident).where(Incident.kind == UNSANCTIONED_TOOL)))
    return ShadowFacts(
        sanctioned=len(services) - len(forbidden),
        forbidden=len(forbidden),
        forbidden_domains=len({d for s in forbidden for d in s.domains}),
        published_at=policy.published_at if policy else None,
        published_current=is_current(policy),
        fetches=policy.fetches if policy else 0,
        consequences=list(policy.consequences) if policy else [],
        tool_incidents=len(incidents),
        tool_incidents_with_consequence=sum(bool(i.consequence) for i in incidents),
    )


@dataclass
class ShadowPage:
    """What the AI tools page shows: both lists, the feed's key and the consequences."""

    sanctioned: list[AIService]
    forbidden: list[AIService]
    policy: AIServicePolicy
    key: str
    current: bool


def shadow_page(session: Session, tenant_id: str) -> ShadowPage:
    """The page's content; the policy row (and so the feed's key) is made the first time."""
    services = list_services(session)
    policy = policy_of(session, tenant_id)
    return ShadowPage(
        sanctioned=[s for s in services if s.status == ServiceStatus.SANCTIONED],
        forbidden=[s for s in services if s.status == ServiceStatus.FORBIDDEN],
        policy=policy,
        key=feed_key(policy),
        current=is_current(policy),
    )
