"""Live facts the conformity view draws its evidence from, read once per report.

Everything is counted from the platform's own records for one municipality: the audit log (masks
applied, fail-closed events), review outputs (review, disclosure mention), policy decisions, the
register, complaints, incidents and the bias probes' runs. Counts, labels and figures only: a report
never carries content.
"""

from __future__ import annotations

import importlib.util
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from balise.answers import status_counts
from balise.audit.models import AuditEntry
from balise.db.base import utcnow
from balise.documents.models import Document, DocumentStatus
from balise.evaluation.bias import BiasRun, latest_runs
from balise.evaluation.runs import EvalRun, latest_run
from balise.formatting import percent
from balise.gateway import ModelBackend, ModelUsage
from balise.governance.adoption_facts import AdoptionFacts, adoption_facts
from balise.governance.complaints import is_overdue
from balise.governance.incidents import serious_risk
from balise.governance.models import (
    AISystem,
    Assessment,
    Complaint,
    Incident,
    IncidentStatus,
    SystemRole,
    SystemStatus,
)
from balise.governance.roadmap import RoadmapFacts, roadmap_facts
from balise.governance.roles import designated_privacy_officer
from balise.governance.shadow_feed import ShadowFacts, shadow_facts
from balise.governance.swiss_facts import SwissFacts, swiss_facts
from balise.guard.policy.models import PolicyDecision
from balise.guard.privacy import LABELS, load_settings
from balise.media.evidence import MediaFacts, media_facts
from balise.memento.evidence import MementoFacts, memento_facts
from balise.pilot.evidence import PilotFacts, pilot_facts
from balise.pooling.evidence import PoolingFacts, pooling_facts
from balise.review import NEEDS_APPROVAL, Output, Status
from balise.survey.evidence import SurveyFacts, survey_facts
from balise.tenancy import Role, Tenant, public_contact
from balise.tenancy.models import Membership
from balise.training.evidence import TrainingFacts, training_facts

WINDOW_DAYS = 30
REVIEW_GRACE_DAYS = 5
TASKS = frozenset({"ask", "summarise", "draft", "revise"})
REVIEWED = frozenset({Status.APPROVED.value, Status.REJECTED.value, Status.CHANGES_REQUESTED.value})


@dataclass
class Facts:
    """What the platform observed for one municipality over the last ``WINDOW_DAYS`` days."""

    tenant: Tenant
    since: datetime
    tasks: Counter[str] = field(default_factory=Counter)
    masked: Counter[str] = field(default_factory=Counter)
    fail_closed: int = 0
    cross_tenant: int = 0
    unmasked_labels: int = 0
    outputs: int = 0
    outputs_with_mention: int = 0
    outputs_for_approval: int = 0
    outputs_reviewed: int = 0
    outputs_waiting_long: int = 0
    policy: Counter[str] = field(default_factory=Counter)
    documents_ready: int = 0
    backends: Counter[str] = field(default_factory=Counter)
    wh: float = 0.0
    systems: int = 0
    systems_live: int = 0
    systems_published: int = 0
    systems_live_published: int = 0
    systems_live_assessed: int = 0
    systems_live_with_roles: int = 0
    assessments: int = 0
    complaints: int = 0
    complaints_open: int = 0
    complaints_overdue: int = 0
    incidents_open: int = 0
    incidents_proposed: int = 0
    incidents_unnotified: int = 0
    privacy_officers: int = 0
    officer_designated: bool = False
    contact_set: bool = False
    citizen_assistant: bool = False
    bias_runs: dict[str, BiasRun] = field(default_factory=dict)
    """The newest measured run of each bias probe, whatever its age (examples left out)."""
    media: MediaFacts = field(default_factory=MediaFacts)
    validated_answers: Counter[str] = field(default_factory=Counter)
    """Validated answers by status (active, expired, suspended)."""
    answers_served: int = 0
    evaluation_run: EvalRun | None = None
    """The newest measured evaluation run, whatever its age (examples left out)."""
    shadow: ShadowFacts = field(default_factory=ShadowFacts)
    """The lists of sanctioned and forbidden AI services, their blocklist and the consequences."""
    roadmap: RoadmapFacts = field(default_factory=RoadmapFacts)
    """The six steps of the roadmap walked so far, and the resource persons of each service."""

    memento: MementoFacts = field(default_factory=MementoFacts)

    survey: SurveyFacts = field(default_factory=SurveyFacts)
    training: TrainingFacts = field(default_factory=TrainingFacts)

    adoption: AdoptionFacts = field(default_factory=AdoptionFacts)
    """Adoption cases, council decisions and vendor assessments of the systems in use."""

    pooling: PoolingFacts = field(default_factory=PoolingFacts)
    """The deployment's municipalities and the packs this one shared and imported (G16)."""

    swiss: SwissFacts = field(default_factory=SwissFacts)
    """For a Swiss municipality: its processing register and data-protection assessments (L2)."""
    pilot: PilotFacts = field(default_factory=PilotFacts)
    """The pilot's processes measured before and after, the interim review and its communications."""


def _audit_counts(session: Session, facts: Facts) -> None:
    entries = session.scalars(
        select(AuditEntry).where(AuditEntry.tenant_id == facts.tenant.id, AuditEntry.at >= facts.since)
    )
    for entry in entries:
        task = entry.action.removeprefix("assistant.")
        if entry.action.startswith("assistant.") and task in TASKS:
            template = entry.details.get("template")
            # a draft counts for its template's requirement (job posting U3, titles U6), not for all
            facts.tasks[f"draft:{template}" if task == "draft" and template else task] += 1
            masked = entry.details.get("masked") or {}
            if isinstance(masked, dict):
                facts.masked.update({str(k): int(v) for k, v in masked.items()})
        elif entry.action == "answers.served":
            facts.answers_served += 1
        elif entry.action == "guard.unavailable":
            facts.fail_closed += 1
        elif entry.action == "security.cross_tenant_refused":
            facts.cross_tenant += 1


def _outputs(session: Session, facts: Facts, today: date) -> None:
    for output in session.scalars(select(Output).where(Output.created_at >= facts.since)):
        facts.outputs += 1
        facts.outputs_with_mention += bool((output.provenance or {}).get("disclosure"))
        if output.purpose in NEEDS_APPROVAL and output.status != Status.DRAFT.value:
            facts.outputs_for_approval += 1
            facts.outputs_reviewed += output.status in REVIEWED
            submitted = output.submitted_at.date() if output.submitted_at else today
            if output.status == Status.SUBMITTED.value and (today - submitted).days > REVIEW_GRACE_DAYS:
                facts.outputs_waiting_long += 1


def _register(session: Session, facts: Facts) -> None:
    systems = list(session.scalars(select(AISystem)))
    assessed = set(session.scalars(select(Assessment.system_id)))
    roles: dict[str, set[str]] = {}
    for role in session.scalars(select(SystemRole)):
        roles.setdefault(role.system_id, set()).add(role.role)
    live = [s for s in systems if s.status in (SystemStatus.PILOT.value, SystemStatus.PRODUCTION.value)]
    facts.systems = len(systems)
    facts.systems_live = len(live)
    facts.systems_published = sum(s.published for s in systems)
    facts.systems_live_published = sum(s.published for s in live)
    facts.systems_live_assessed = sum(s.id in assessed for s in live)
    facts.systems_live_with_roles = sum(
        {"responsible", "privacy_officer"} <= roles.get(s.id, set()) for s in live
    )
    facts.assessments = session.scalar(select(func.count(Assessment.id))) or 0


def _cases(session: Session, facts: Facts, today: date) -> None:
    complaints = list(session.scalars(select(Complaint)))
    facts.complaints = len(complaints)
    facts.complaints_open = sum(c.status != "closed" for c in complaints)
    facts.complaints_overdue = sum(is_overdue(c, today) for c in complaints)
    for incident in session.scalars(select(Incident)):
        if incident.status == IncidentStatus.PROPOSED.value:
            facts.incidents_proposed += 1
        elif incident.status == IncidentStatus.OPEN.value:
            facts.incidents_open += 1
            if serious_risk(incident) and incident.commission_notified_on is None:
                facts.incidents_unnotified += 1


def gather(session: Session, tenant: Tenant, *, now: datetime | None = None) -> Facts:
    """Every fact of the report; ``session`` must be scoped to ``tenant``."""
    now = now or utcnow()
    today = now.date()
    facts = Facts(tenant, now - timedelta(days=WINDOW_DAYS))
    _audit_counts(session, facts)
    _outputs(session, facts, today)
    decisions = session.scalars(select(PolicyDecision).where(PolicyDecision.created_at >= facts.since))
    facts.policy = Counter(f"{d.requirement}:{d.outcome}" for d in decisions if d.requirement)
    facts.documents_ready = (
        session.scalar(select(func.count(Document.id)).where(Document.status == DocumentStatus.READY.value))
        or 0
    )
    facts.backends = Counter(b.hosting for b in session.scalars(select(ModelBackend)))
    facts.wh = float(
        session.scalar(select(func.sum(ModelUsage.wh)).where(ModelUsage.created_at >= facts.since)) or 0.0
    )
    facts.unmasked_labels = len(set(LABELS) - set(load_settings(session, tenant.id).labels))
    _register(session, facts)
    _cases(session, facts, today)
    facts.privacy_officers = (
        session.scalar(select(func.count(Membership.id)).where(Membership.role == Role.PRIVACY_OFFICER.value))
        or 0
    )
    facts.officer_designated = designated_privacy_officer(session, tenant) is not None
    facts.contact_set = bool(public_contact(tenant).phone or public_contact(tenant).address)
    facts.citizen_assistant = importlib.util.find_spec("balise.citizen") is not None
    facts.bias_runs = latest_runs(session)
    facts.media = media_facts(session, tenant.id)
    facts.validated_answers = status_counts(session)
    facts.evaluation_run = latest_run(session)
    facts.shadow = shadow_facts(session, tenant.id)
    facts.roadmap = roadmap_facts(session)

    facts.memento = memento_facts(session, tenant)

    facts.survey = survey_facts(session)

    facts.adoption = adoption_facts(session)

    facts.training = training_facts(session, tenant.id)

    facts.pooling = pooling_facts(session, tenant)
    facts.swiss = swiss_facts(session, tenant)

    facts.pilot = pilot_facts(session, today)
    return facts


def share(part: int, whole: int) -> str:
    """A percentage for evidence text; "—" when there is nothing to count."""
    return percent(part / whole) if whole else "—"
