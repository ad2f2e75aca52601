"""The municipality's lists of sanctioned and forbidden AI services (D0, G8): entered by managers,
checked so that every domain is a host name and no domain is both sanctioned and blocked, and a
starting list of well-known public services to forbid in one click.

The blocklists made from the forbidden list, their feed and the consequences are in
:mod:`balise.governance.shadow_feed`.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise import audit
from balise.bounds import check_length
from balise.db.base import utcnow
from balise.errors import Invalid, NotFound
from balise.governance.shadow_models import AIService, AIServicePolicy, ServiceStatus
from balise.i18n import gettext_

MAX_NAME = 120
MAX_NOTE = 2000
MAX_DOMAINS = 50
_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")
_TLD = re.compile(r"[a-z]{2,63}|xn--[a-z0-9-]{1,59}")


@dataclass(frozen=True)
class Suggestion:
    name: str
    domains: tuple[str, ...]
    note: str


# Well-known public services a municipality usually forbids on its devices; the manager loads them
# as « forbidden » in one click and edits them like any other entry.
SUGGESTIONS = (
    Suggestion("ChatGPT (OpenAI)", ("chatgpt.com", "chat.openai.com"), "Service public grand public."),
    Suggestion("Gemini (Google)", ("gemini.google.com",), "Service public grand public."),
    Suggestion("Claude (Anthropic)", ("claude.ai",), "Service public grand public."),
    Suggestion("Copilot (Microsoft, grand public)", ("copilot.microsoft.com",), "Version grand public."),
    Suggestion("Perplexity", ("perplexity.ai", "www.perplexity.ai"), "Moteur de réponses public."),
    Suggestion("DeepSeek", ("deepseek.com", "chat.deepseek.com"), "Données hébergées hors du pays."),
    Suggestion("Le Chat (Mistral AI)", ("chat.mistral.ai",), "Service public grand public."),
    Suggestion("Grok (xAI)", ("grok.com",), "Service public grand public."),
    Suggestion("Meta AI", ("meta.ai",), "Service public grand public."),
    Suggestion("Poe (Quora)", ("poe.com",), "Agrégateur de modèles publics."),
    Suggestion("Character.AI", ("character.ai",), "Agents conversationnels publics."),
    Suggestion("DeepL Write (gratuit)", ("deepl.com",), "Les textes collés quittent le poste."),
)


def parse_domains(text: str) -> list[str]:
    """The host names written one per line (or separated by commas or spaces), in ASCII lower case.

    A pasted address keeps its host (``https://chatgpt.com/c/1`` → ``chatgpt.com``); ``*.`` and a
    final dot are dropped; anything else that is not a host name with a top-level domain is refused.
    """
    domains: list[str] = []
    for raw in re.split(r"[\s,;]+", text.strip()):
        if not raw:
            continue
        value = raw.lower()
        if "://" in value:
            value = urlsplit(value).hostname or ""
        value = value.removeprefix("*.").removesuffix(".")
        try:
            value = value.encode("idna").decode("ascii")
        except UnicodeError:
            value = ""
        labels = value.split(".")
        if (
            len(value) > 253
            or len(labels) < 2
            or not all(_LABEL.fullmatch(label) for label in labels)
            or not _TLD.fullmatch(labels[-1])
        ):
            raise Invalid(
                "“{domain}” is not a domain name. Write domains like chatgpt.com or chat.mistral.ai, "
                "one per line, without spaces.",
                domain=raw[:100],
            )
        if value not in domains:
            domains.append(value)
    return domains


def list_services(session: Session, status: str | None = None) -> list[AIService]:
    query = select(AIService).order_by(AIService.name)
    if status is not None:
        query = query.where(AIService.status == status)
    return list(session.scalars(query))


def get_service(session: Session, service_id: str) -> AIService:
    service = session.scalars(select(AIService).where(AIService.id == service_id)).first()
    if service is None:
        raise NotFound("This AI service is not in the list, or belongs to another municipality.")
    return service


def _covers(outer: str, inner: str) -> bool:
    return inner == outer or inner.endswith("." + outer)


def _check_conflicts(session: Session, name: str, status: str, domains: Sequence[str], own: str) -> None:
    """No domain twice, and no forbidden domain that would block a sanctioned one (or its subdomain)."""
    for other in list_services(session):
        if other.id == own:
            continue
        if other.name.casefold() == name.casefold():
            raise Invalid("A service named “{name}” is already in the list: edit it instead.", name=name)
        for mine in domains:
            for theirs in other.domains:
                if mine == theirs:
                    raise Invalid(
                        "The domain {domain} is already listed for “{other}”.", domain=mine, other=other.name
                    )
                forbidden, sanctioned = (
                    (mine, theirs) if status == ServiceStatus.FORBIDDEN else (theirs, mine)
                )
                if other.status != status and _covers(forbidden, sanctioned):
                    raise Invalid(
                        "Blocking {forbidden} would also block {sanctioned}, which is sanctioned. List "
                        "narrower domains of the forbidden service instead.",
                        forbidden=forbidden,
                        sanctioned=sanctioned,
                    )


def _forbidden_changed(session: Session, tenant_id: str) -> None:
    """Dates the forbidden list's change, so a blocklist published before it shows as out of date."""
    policy_of(session, tenant_id).forbidden_changed_at = utcnow()


def _audit(session: Session, service: AIService, action: str, actor: str, **details: Any) -> None:
    audit.record(
        session,
        f"governance.ai_service_{action}",
        actor=actor,
        tenant_id=service.tenant_id,
        target_type="ai_service",
        target_id=service.id,
        details={"status": service.status, "domains": len(service.domains), **details},
    )


def save_service(
    session: Session,
    tenant_id: str,
    form: Mapping[str, Any],
    *,
    actor: str,
    service: AIService | None = None,
) -> AIService:
    """Create or update an entry; the forbidden list's change date moves when it is concerned."""
    name = str(form.get("name", "")).strip()
    note = str(form.get("note", "")).strip()
    status = str(form.get("status", ""))
    if not name:
        raise Invalid("Give the service's name, as staff know it (for example ChatGPT).")
    check_length(name, MAX_NAME, gettext_("Name"))
    check_length(note, MAX_NOTE, gettext_("Note or reason"))
    if status not in {s.value for s in ServiceStatus}:
        raise Invalid("Choose whether the service is sanctioned or forbidden.")
    domains = parse_domains(str(form.get("domains", "")))
    if not domains:
        raise Invalid("Give at least one domain of the service, like chatgpt.com.")
    if len(domains) > MAX_DOMAINS:
        raise Invalid("A service has {max} domains at most; split it in two entries.", max=MAX_DOMAINS)
    _check_conflicts(session, name, status, domains, service.id if service else "")
    created = service is None
    was_forbidden = service is not None and service.status == ServiceStatus.FORBIDDEN
    if service is None:
        service = AIService(tenant_id=tenant_id)
        session.add(service)
    service.name, service.status, service.domains, service.note = name, status, domains, note
    session.flush()
    if was_forbidden or status == ServiceStatus.FORBIDDEN:
        _forbidden_changed(session, tenant_id)
    _audit(session, service, "created" if created else "updated", actor)
    return service


def remove_service(session: Session, service_id: str, *, actor: str) -> None:
    service = get_service(session, service_id)
    if service.status == ServiceStatus.FORBIDDEN:
        _forbidden_changed(session, service.tenant_id)
    _audit(session, service, "removed", actor)
    session.delete(service)
    session.flush()


def load_suggestions(session: Session, tenant_id: str, *, actor: str) -> int:
    """Adds each suggested service as forbidden unless its name or a domain is already listed."""
    listed = list_services(session)
    names = {s.name.casefold() for s in listed}
    taken = [d for s in listed for d in s.domains]
    added = 0
    for suggestion in SUGGESTIONS:
        if suggestion.name.casefold() in names or any(
            _covers(a, b) or _covers(b, a) for a in suggestion.domains for b in taken
        ):
            continue
        service = AIService(
            tenant_id=tenant_id,
            name=suggestion.name,
            status=ServiceStatus.FORBIDDEN.value,
            domains=list(suggestion.domains),
            note=suggestion.note,
        )
        session.add(service)
        session.flush()
        _audit(session, service, "created", actor, suggested=True)
        added += 1
    if added:
        _forbidden_changed(session, tenant_id)
    return added


def policy_of(session: Session, tenant_id: str) -> AIServicePolicy:
    """The municipality's policy row, made with a fresh key salt the first time it is needed."""
    policy = session.scalars(select(AIServicePolicy).where(AIServicePolicy.tenant_id == tenant_id)).first()
    if policy is None:
        policy = AIServicePolicy(tenant_id=tenant_id, key_salt=secrets.token_hex(16), consequences=[])
        session.add(policy)
        session.flush()
    return policy
