"""Impact assessment of an AI system (G1, P2, L1 s. 63.5), scored like Canada's Algorithmic Impact
Assessment, plus a Law 25 privacy-impact checklist.

Mechanics of the AIA: the impact answers add up to a raw impact score; when the mitigation answers
reach 80 % of their maximum, the impact score is lowered by 15 %; the level is I up to 25 % of the
maximum impact score, II up to 50 %, III up to 75 %, IV above. Each level lists what it requires.
Questions are English msgids with French translations, so the questionnaire is bilingual.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from balise import audit
from balise.errors import Invalid
from balise.governance.hosting import leaves_quebec
from balise.governance.models import AISystem, Assessment
from balise.i18n import N_

MITIGATION_THRESHOLD = 0.80
MITIGATION_DISCOUNT = 0.15
LEVEL_BOUNDS = (0.25, 0.50, 0.75)  # share of the maximum impact score ending levels I, II, III


@dataclass(frozen=True)
class Choice:
    value: str
    label: str  # msgid
    points: int


@dataclass(frozen=True)
class Question:
    key: str
    text: str  # msgid
    choices: tuple[Choice, ...]

    @property
    def maximum(self) -> int:
        return max(c.points for c in self.choices)


def _yes_no(yes: int, no: int = 0) -> tuple[Choice, ...]:
    return (Choice("no", N_("No"), no), Choice("yes", N_("Yes"), yes))


IMPACT_QUESTIONS = (
    Question(
        "audience",
        N_("Who receives what the system produces?"),
        (
            Choice("staff", N_("Staff only, for their own work"), 0),
            Choice("decision", N_("Staff preparing a decision"), 2),
            Choice("public", N_("The public, after publication by staff"), 3),
            Choice("citizens", N_("Citizens directly (for example a virtual agent)"), 4),
        ),
    ),
    Question(
        "decision",
        N_("Can the output influence a decision about a person (permit, benefit, sanction, job)?"),
        (
            Choice("no", N_("No"), 0),
            Choice("indirect", N_("Indirectly, as one element among others"), 3),
            Choice("direct", N_("Directly"), 4),
        ),
    ),
    Question(
        "automated",
        N_("Is any decision based exclusively on automated processing (A-2.1 s. 65.2)?"),
        _yes_no(4),
    ),
    Question(
        "personal",
        N_("What personal information does the system process?"),
        (
            Choice("none", N_("None"), 0),
            Choice("general", N_("General information (name, address, contact)"), 2),
            Choice("sensitive", N_("Sensitive information (health, finances, social situation, minors)"), 4),
        ),
    ),
    Question(
        "vulnerable", N_("Can it affect vulnerable people (minors, seniors, people in need)?"), _yes_no(2)
    ),
    Question(
        "reversibility",
        N_("If the output is wrong, how easily can its effects be reversed?"),
        (
            Choice("easy", N_("Easily"), 0),
            Choice("effort", N_("With some effort"), 2),
            Choice("hard", N_("Hardly or not at all"), 4),
        ),
    ),
    Question(
        "reach",
        N_("How many people are affected each year?"),
        (
            Choice("few", N_("Fewer than 100"), 0),
            Choice("some", N_("100 to 10,000"), 1),
            Choice("many", N_("More than 10,000"), 2),
        ),
    ),
    Question(
        "hosting",
        N_("Where is the data processed?"),
        (
            Choice("local", N_("On the municipality's servers or in Quebec"), 0),
            Choice("canada", N_("Elsewhere in Canada or in Switzerland"), 1),
            Choice("abroad", N_("Outside Canada and Switzerland"), 3),
        ),
    ),
    Question(
        "model",
        N_("What kind of model is it?"),
        (
            Choice("open", N_("An open model the municipality controls"), 0),
            Choice("contract", N_("A supplier's model under contract"), 1),
            Choice("consumer", N_("A public consumer service"), 3),
        ),
    ),
    Question("unreviewed", N_("Can content be published without a person reviewing it?"), _yes_no(3)),
    Question(
        "domain",
        N_("Is it used in a sensitive field (health, safety, justice, social services)?"),
        _yes_no(3),
    ),
)

MITIGATION_QUESTIONS = (
    Question(
        "review", N_("Does a person review every output meant for the public or a decision?"), _yes_no(3)
    ),
    Question("sources", N_("Are sources cited and checkable for every answer?"), _yes_no(2)),
    Question("masking", N_("Is personal information removed before any model call?"), _yes_no(3)),
    Question("label", N_("Is every output labelled as produced with AI?"), _yes_no(2)),
    Question("tests", N_("Is the system tested on local data, with error rates tracked?"), _yes_no(2)),
    Question("bias", N_("Have bias and stereotyped associations been evaluated?"), _yes_no(2)),
    Question("complaints", N_("Is a complaint procedure published for residents?"), _yes_no(2)),
    Question("training", N_("Were the staff who use it trained?"), _yes_no(1)),
    Question("exit", N_("Can the data be exported and the supplier replaced?"), _yes_no(1)),
    Question("audit", N_("Is every use recorded in an audit log?"), _yes_no(2)),
)

PRIVACY_CHECKLIST = (
    (
        "officer_consulted",
        N_(
            "The person in charge of the protection of personal information was consulted from the start "
            "of the project (s. 63.5)."
        ),
    ),
    ("inventory", N_("The personal information collected, used and communicated is listed.")),
    (
        "necessity",
        N_(
            "Each piece of personal information is necessary for the purpose (necessity and proportionality)."
        ),
    ),
    ("retention", N_("A retention period and a destruction method are set.")),
    ("security", N_("Security measures (access by role, encryption, audit) are described.")),
    ("rights", N_("People can exercise their rights of access and rectification.")),
    (
        "automated_notice",
        N_(
            "People are informed when a decision about them is based exclusively on automated "
            "processing (s. 65.2)."
        ),
    ),
)
OUTSIDE_QUEBEC_CHECKLIST = (
    (
        "transfer_assessment",
        N_("An assessment shows the information will be adequately protected outside Quebec (s. 70.1)."),
    ),
    (
        "transfer_agreement",
        N_("A written agreement with the recipient sets out the protection measures (s. 70.1)."),
    ),
)

LEVEL_REQUIREMENTS: dict[int, tuple[str, ...]] = {
    1: (
        N_("Record the system in the public register."),
        N_("Label every output as produced with AI."),
        N_("Name a person responsible for the system."),
    ),
    2: (
        N_("Human review before any output is published or used for a decision."),
        N_("Train the staff who use the system."),
        N_("Publish the complaint procedure."),
    ),
    3: (
        N_("A person makes every decision; the output is only a recommendation."),
        N_("Complete the privacy impact assessment (Law 25, s. 63.5) before going into production."),
        N_("Peer review of the assessment by someone outside the project."),
        N_("Inform the council and publish the assessment's result."),
    ),
    4: (
        N_("Approval by the council (or the executive committee) before going into production."),
        N_("Two independent reviews of the system, one external."),
        N_("Continuous monitoring of errors and bias, reported to the council at least yearly."),
        N_("A plan to stop the system and serve people without it."),
    ),
}
LEVEL_NAMES = {1: "I", 2: "II", 3: "III", 4: "IV"}
MAX_IMPACT = sum(q.maximum for q in IMPACT_QUESTIONS)
MAX_MITIGATION = sum(q.maximum for q in MITIGATION_QUESTIONS)


@dataclass(frozen=True)
class Score:
    raw_impact: int
    mitigation: int
    discounted: bool
    score: float
    level: int

    @property
    def share(self) -> float:
        return self.score / MAX_IMPACT if MAX_IMPACT else 0.0

    @property
    def requirements(self) -> list[str]:
        """Every requirement up to this level (msgids): a level IV system also meets those of I–III."""
        return [item for level in range(1, self.level + 1) for item in LEVEL_REQUIREMENTS[level]]


def level_for(score: float, maximum: int) -> int:
    share = score / maximum if maximum else 0.0
    for level, bound in enumerate(LEVEL_BOUNDS, start=1):
        if share <= bound:
            return level
    return 4


def score_values(raw_impact: int, mitigation: int, max_impact: int, max_mitigation: int) -> Score:
    """The AIA arithmetic alone, so that each threshold can be checked directly."""
    discounted = max_mitigation > 0 and mitigation >= MITIGATION_THRESHOLD * max_mitigation
    score = raw_impact * (1 - MITIGATION_DISCOUNT) if discounted else float(raw_impact)
    return Score(raw_impact, mitigation, discounted, round(score, 2), level_for(score, max_impact))


def _points(questions: tuple[Question, ...], answers: Mapping[str, str]) -> int:
    total = 0
    for question in questions:
        chosen = answers.get(question.key)
        match = next((c for c in question.choices if c.value == chosen), None)
        if match is None:
            raise Invalid("Answer every question; “{question}” has no answer.", question=question.text)
        total += match.points
    return total


def score_answers(answers: Mapping[str, str]) -> Score:
    return score_values(
        _points(IMPACT_QUESTIONS, answers), _points(MITIGATION_QUESTIONS, answers), MAX_IMPACT, MAX_MITIGATION
    )


def privacy_items(system: AISystem) -> tuple[tuple[str, str], ...]:
    """The checklist for this system: s. 70.1 items appear when its hosting takes data out of Quebec."""
    return PRIVACY_CHECKLIST + (OUTSIDE_QUEBEC_CHECKLIST if leaves_quebec(system.hosting) else ())


def suggested_answers(system: AISystem) -> dict[str, str]:
    """What the platform already knows, to pre-fill the form: the hosting of the system."""
    if not system.hosting:
        return {}
    if system.hosting in ("on_premises", "quebec"):
        return {"hosting": "local"}
    return {"hosting": "canada" if system.hosting in ("canada", "switzerland") else "abroad"}


def save_assessment(
    session: Session,
    system: AISystem,
    answers: Mapping[str, str],
    privacy_checked: set[str],
    *,
    actor: str,
) -> Assessment:
    """A new version; earlier versions stay. The system's level on the register follows the latest."""
    keys = {q.key for q in IMPACT_QUESTIONS + MITIGATION_QUESTIONS}
    kept = {k: str(v) for k, v in answers.items() if k in keys}
    score = score_answers(kept)
    items = privacy_items(system)
    privacy = {key: key in privacy_checked for key, _text in items}
    version = (
        session.scalar(select(func.max(Assessment.version)).where(Assessment.system_id == system.id)) or 0
    ) + 1
    assessment = Assessment(
        tenant_id=system.tenant_id,
        system_id=system.id,
        version=version,
        answers=kept,
        privacy=privacy,
        raw_impact=score.raw_impact,
        mitigation=score.mitigation,
        score=score.score,
        level=score.level,
        leaves_quebec=leaves_quebec(system.hosting),
        author_id=actor if actor not in ("system", "cli", "demo") else None,
    )
    session.add(assessment)
    system.impact_level = score.level
    session.flush()
    audit.record(
        session,
        "governance.assessment_saved",
        actor=actor,
        tenant_id=system.tenant_id,
        target_type="ai_system",
        target_id=system.id,
        details={
            "version": version,
            "raw_impact": score.raw_impact,
            "mitigation": score.mitigation,
            "level": score.level,
            "privacy_done": sum(privacy.values()),
            "privacy_items": len(privacy),
        },
    )
    return assessment


def assessments_of(session: Session, system_id: str) -> list[Assessment]:
    """Every version, newest first."""
    stmt = select(Assessment).where(Assessment.system_id == system_id).order_by(Assessment.version.desc())
    return list(session.scalars(stmt))


def score_of(assessment: Assessment) -> Score:
    return Score(
        assessment.raw_impact,
        assessment.mitigation,
        assessment.score < assessment.raw_impact,
        assessment.score,
        assessment.level,
    )


def summary(assessment: Assessment | None) -> dict[str, Any]:
    if assessment is None:
        return {}
    return {"version": assessment.version, "level": assessment.level, "score": assessment.score}
