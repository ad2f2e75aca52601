"""The AI maturity self-assessment (G5): six dimensions, each with five described levels, assessed by
the municipality's managers as often as they like; the history shows progress, and the two weakest
dimensions get next steps drawn from the guides (QC: the Obvia guide's integration steps; CH: the
Valais guide's roadmap). A self-assessment, not an audit: the levels are what the municipality says."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise import audit
from balise.bounds import check_length
from balise.charts import accessible, chart
from balise.errors import Invalid
from balise.formatting import day
from balise.i18n import N_, gettext_
from balise.survey.tables import MaturityAssessment
from balise.tenancy import Tenant

MAX_NOTE = 2000


@dataclass(frozen=True)
class Dimension:
    key: str
    name: str
    levels: tuple[str, str, str, str, str]
    steps: tuple[str, str]
    """Next steps from the guides when this dimension is among the weakest."""


DIMENSIONS: tuple[Dimension, ...] = (
    Dimension(
        "strategy",
        N_("Strategy"),
        (
            N_("Nothing is decided; people try tools on their own."),
            N_("The council has discussed AI once."),
            N_("A roadmap exists, with its steps and who leads them."),
            N_("A pilot service tests the roadmap; its results are measured."),
            N_("The strategy is reviewed with the pilot's results and shared with other municipalities."),
        ),
        (
            N_(
                "Hold a preliminary strategic discussion in council and write the roadmap (CH guide, step 2)."
            ),
            N_(
                "Choose a pilot service and its resource persons before any wide roll-out (CH guide, step 4)."
            ),
        ),
    ),
    Dimension(
        "governance",
        N_("Governance"),
        (
            N_("No one is responsible for AI."),
            N_("A person is named, without a mandate."),
            N_("Roles, the register of AI systems and a complaint procedure exist."),
            N_("Each system has an impact assessment before adoption."),
            N_("Governance is reviewed each year and reported publicly."),
        ),
        (
            N_("Name who is responsible for each AI system and keep the register current (QC guide)."),
            N_("Assess each system's impact before adopting it, and review it when it changes (QC guide)."),
        ),
    ),
    Dimension(
        "data",
        N_("Data"),
        (
            N_("Documents are not classified; anything may be pasted into a tool."),
            N_("Staff know not to paste personal information."),
            N_("Documents are classified and the classification is respected by the tools."),
            N_("Personal information is masked before any model call."),
            N_("Data quality and retention are managed and checked regularly."),
        ),
        (
            N_(
                "Never submit personal or confidential information to a public tool; classify documents "
                "(QC guide)."
            ),
            N_(
                "Check where data are hosted and prefer tools hosted under the municipality's law (QC guide)."
            ),
        ),
    ),
    Dimension(
        "skills",
        N_("Skills"),
        (
            N_("No training has been offered."),
            N_("A few people trained on their own."),
            N_("A training campaign reached staff and the council."),
            N_("Resource persons support each service."),
            N_("Training is ongoing, by audience, and shared with other municipalities."),
        ),
        (
            N_("Run a hands-on training campaign for staff and council members (CH guide, step 1)."),
            N_(
                "Train the staff likely to use generative AI and publish the rules on the intranet "
                "(QC guide)."
            ),
        ),
    ),
    Dimension(
        "infrastructure",
        N_("Infrastructure"),
        (
            N_("Only personal accounts on public tools."),
            N_("A tool was bought without checking its conditions."),
            N_("Approved tools are available, with their hosting known."),
            N_("Tools are interoperable (open formats, standard API) with an exit option."),
            N_("Several providers can be switched without loss; usage and footprint are measured."),
        ),
        (
            N_("Avoid binding choices: require interoperability and a clear exit option (CH guide)."),
            N_("Work with IT to review each system before adoption, and use shared expertise (QC guide)."),
        ),
    ),
    Dimension(
        "ethics",
        N_("Ethics and inclusion"),
        (
            N_("Risks of AI are not discussed."),
            N_("Principles are written but not applied."),
            N_("Outputs are labelled and reviewed by a person before they reach residents."),
            N_("Bias is tested and under-represented groups take part in testing."),
            N_("Residents are told how AI is used and can contest its effects."),
        ),
        (
            N_("Label AI-generated content and keep a person reviewing what reaches residents (QC guide)."),
            N_("Assess bias over the system's life and involve under-represented groups (QC guide)."),
        ),
    ),
)
BY_KEY = {d.key: d for d in DIMENSIONS}


def save_assessment(
    session: Session, tenant: Tenant, form: Mapping[str, Any], *, actor: str, example: bool = False
) -> MaturityAssessment:
    """Stores one assessment: a level from 1 to 5 for every dimension (fields named by its key)."""
    levels: dict[str, int] = {}
    for dimension in DIMENSIONS:
        raw = str(form.get(dimension.key, "")).strip()
        if raw not in {"1", "2", "3", "4", "5"}:
            raise Invalid("Choose a level from 1 to 5 for “{dimension}”.", dimension=gettext_(dimension.name))
        levels[dimension.key] = int(raw)
    note = str(form.get("note", "")).strip()
    check_length(note, MAX_NOTE, gettext_(N_("Note")))
    assessment = MaturityAssessment(tenant_id=tenant.id, levels=levels, note=note, example=example)
    session.add(assessment)
    session.flush()
    audit.record(
        session,
        "maturity.assessed",
        actor=actor,
        tenant_id=tenant.id,
        target_type="maturity_assessment",
        target_id=assessment.id,
        details={"levels": levels},
    )
    return assessment


def history(session: Session) -> list[MaturityAssessment]:
    """The municipality's assessments, oldest first."""
    return list(session.scalars(select(MaturityAssessment).order_by(MaturityAssessment.created_at)))


def weakest(assessment: MaturityAssessment) -> list[Dimension]:
    """The two dimensions with the lowest levels (the questionnaire's order breaks ties)."""
    ranked = sorted(DIMENSIONS, key=lambda d: assessment.levels.get(d.key, 0))
    return ranked[:2]


@dataclass(frozen=True)
class MaturityChart:
    title: str
    summary: str
    svg: str
    rows: list[tuple[str, ...]]
    """Per dimension: its name, then its level at each assessment shown."""
    headings: list[str]


def maturity_chart(assessments: list[MaturityAssessment]) -> MaturityChart:
    """A radar of the latest assessment beside the one before (when there is one), with its table."""
    shown = assessments[-2:]
    names = [gettext_(d.name) for d in DIMENSIONS]
    title = gettext_("Maturity by dimension")
    latest = shown[-1]
    summary = gettext_("Assessment of {date}: {levels}. Weakest: {weakest}.").format(
        date=day(latest.created_at),
        levels="; ".join(f"{gettext_(d.name)} {latest.levels.get(d.key, 0)}/5" for d in DIMENSIONS),
        weakest=", ".join(gettext_(d.name) for d in weakest(latest)),
    )
    drawn = chart("Radar", names, lambda v: f"{v:g}/5", range=(0, 5), show_legend=True)
    drawn.height = 420
    for assessment in shown:
        drawn.add(day(assessment.created_at), [assessment.levels.get(d.key, 0) for d in DIMENSIONS])
    rows = [(gettext_(d.name), *(f"{a.levels.get(d.key, 0)}/5" for a in assessments)) for d in DIMENSIONS]
    headings = [gettext_("Dimension"), *(day(a.created_at) for a in assessments)]
    return MaturityChart(
        title, summary, accessible(drawn.render(is_unicode=True), "maturity", title, summary), rows, headings
    )
