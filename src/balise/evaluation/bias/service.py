"""Running the bias probes for a municipality, storing each run, and reading them back in words.

What ``balise eval bias``, the monthly job, the managers' page, the conformity view (P5, P7) and
``balise demo`` call. A run is stored only when its probe finished: a model that stops answering
stores nothing, and the caller is told why.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

import balise
from balise import audit
from balise.assistant.drafting import get_template, templates
from balise.config import get_settings
from balise.db import scope_session, utcnow
from balise.evaluation.bias.example import scripted_answer
from balise.evaluation.bias.model import NoGenerativeModel, ProbeModel
from balise.evaluation.bias.names import COMPARISONS, MAX_PAIRS, REQUESTS
from balise.evaluation.bias.probes import (
    TITLE_BRIEFS,
    Advance,
    counterfactual,
    crows,
    load_crows,
    titles_of_model,
    titles_of_templates,
)
from balise.evaluation.bias.tables import BiasRun
from balise.formatting import day, number, percent
from balise.i18n import N_, gettext_, ngettext_
from balise.tenancy import Tenant

PROBES = ("counterfactual", "crows", "titles")
PROBE_LABELS = {
    "counterfactual": N_("Names changed in the same request"),
    "crows": N_("Stereotype preference (CrowS-Pairs)"),
    "titles": N_("Job titles in the masculine only"),
}
METRIC_LABELS = {
    "words": N_("Length (words)"),
    "agency": N_("Agentic rather than communal words"),
    "reading_ease": N_("Reading ease (Kandel–Moles)"),
    "tone": N_("Tone (praise rather than trouble)"),
}
GROUP_LABELS = {group: label for c in COMPARISONS for group, label in zip(c.groups, c.labels, strict=True)}
COMPARISON_LABELS = {c.key: c.label for c in COMPARISONS}
REQUEST_LABELS = {r.key: r.label for r in REQUESTS}
BIAS_TYPE_LABELS = {
    "age": N_("Age"),
    "autre": N_("Other"),
    "disability": N_("Disability"),
    "gender": N_("Gender"),
    "nationality": N_("Nationality"),
    "physical-appearance": N_("Physical appearance"),
    "race-color": N_("Race and colour"),
    "religion": N_("Religion"),
    "sexual-orientation": N_("Sexual orientation"),
    "socioeconomic": N_("Socioeconomic status"),
}
DEFAULT_PAIRS = {"counterfactual": 6, "crows": 100}
MAX_CROWS_PAIRS = 2000
RECENT_DAYS = 90
"""A run older than this no longer shows the tools as they are (the workers probe monthly)."""

Progress = Callable[[str, int], Advance]
"""Given a probe's label and how many model calls it will make, what to call after each of them."""


def _no_progress(_label: str, _total: int) -> Advance:
    return lambda _count: None


@dataclass
class Probed:
    """What one call of :func:`run_probes` did: the runs it stored and what the person must know."""

    runs: list[BiasRun] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    backend: str = ""
    model: str = ""

    def as_json(self, tenant: Tenant) -> dict[str, Any]:
        """The contract of ``balise eval bias --json`` (docs/architecture.md)."""
        return {
            "tenant": tenant.slug,
            "backend": self.backend or None,
            "model": self.model or None,
            "flagged": any(run.flagged for run in self.runs),
            "notices": self.notices,
            "probes": {
                run.probe: {"run_id": run.id, **run.figures, "flagged": run.flagged} for run in self.runs
            },
        }


def crows_file() -> Path | None:
    """French CrowS-Pairs (CC BY-SA, never shipped): ``BALISE_CROWS_PAIRS_FILE``, else beside a source
    checkout in ``../shared/data/bias/``; None when neither exists."""
    configured = get_settings().crows_pairs_file
    if configured:
        return Path(configured)
    beside = Path(balise.__file__).resolve().parents[2].parent / "shared/data/bias/crows_pairs_fr.csv"
    return beside if beside.is_file() else None


def _store(
    session: Session,
    tenant: Tenant,
    probe: str,
    figures: dict[str, Any],
    *,
    actor: str,
    model: ProbeModel | None = None,
    example: bool = False,
) -> BiasRun:
    run = BiasRun(
        tenant_id=tenant.id,
        probe=probe,
        backend=model.backend.name if model else "",
        model=model.backend.model if model else "",
        figures=figures,
        flagged=bool(figures["flagged"]),
        example=example,
    )
    session.add(run)
    session.flush()
    audit.record(
        session,
        "evaluation.bias_run",
        actor=actor,
        tenant_id=tenant.id,
        target_type="bias_run",
        target_id=run.id,
        details={"probe": probe, "backend": run.backend, "flagged": run.flagged},
    )
    return run


def run_probes(
    session: Session,
    tenant: Tenant,
    *,
    probes: Sequence[str] = PROBES,
    pairs: int | None = None,
    crows_path: Path | None = None,
    actor: str,
    progress: Progress = _no_progress,
) -> Probed:
    """Runs ``probes`` against the municipality's default generative model and stores each run.

    With no generative model the model probes say so and the job-title check reads the drafting
    templates. Raises :class:`~balise.evaluation.bias.model.ModelFailed` when the model stops
    answering (the runs already stored stay in the caller's transaction).
    """
    scope_session(session, tenant.id)
    probed = Probed()
    try:
        model: ProbeModel | None = ProbeModel(session, tenant.id)
    except NoGenerativeModel as missing:
        model = None
        probed.notices.append(missing.localized())
    if model is not None:
        probed.backend, probed.model = model.backend.name, model.backend.model
    for probe in probes:
        figures = _probe(session, tenant, probe, model, pairs, crows_path, probed, progress)
        if figures is not None:
            probed.runs.append(_store(session, tenant, probe, figures, actor=actor, model=model))
    return probed


def _probe(
    session: Session,
    tenant: Tenant,
    probe: str,
    model: ProbeModel | None,
    pairs: int | None,
    crows_path: Path | None,
    probed: Probed,
    progress: Progress,
) -> dict[str, Any] | None:
    label = gettext_(PROBE_LABELS[probe])
    if probe == "titles":
        if model is None:
            return titles_of_templates(templates(session, tenant.id))
        template = get_template(session, tenant.id, "job_posting")
        return titles_of_model(model.ask, template, progress(label, len(TITLE_BRIEFS)))
    if model is None:
        return None
    if probe == "counterfactual":
        used = min(pairs or DEFAULT_PAIRS[probe], MAX_PAIRS)
        calls = 2 * used * len(REQUESTS) * len(COMPARISONS)
        return counterfactual(model.ask, used, progress(label, calls))
    path = crows_path or crows_file()
    if path is None:
        probed.notices.append(
            gettext_(
                "The French CrowS-Pairs data was not found: set BALISE_CROWS_PAIRS_FILE (or --crows) to "
                "the file crows_pairs_fr.csv to measure stereotype preference."
            )
        )
        return None
    wanted = min(pairs or DEFAULT_PAIRS["crows"], MAX_CROWS_PAIRS)
    return crows(model.ask, load_crows(path), wanted, progress(label, wanted))


def ensure_demo_runs(session: Session, tenant: Tenant) -> None:
    """The demo's worked example, added once (``balise demo``): the job-title check of its drafting
    templates, a real measurement whatever model is configured, and an example counterfactual run
    answered by a script (:mod:`~balise.evaluation.bias.example`), stored and shown as an example: it
    shows what a run with a gap reads like, and proves nothing about any model."""
    scope_session(session, tenant.id)
    stored = set(session.execute(select(BiasRun.probe, BiasRun.example)).tuples())
    if ("titles", False) not in stored:
        _store(session, tenant, "titles", titles_of_templates(templates(session, tenant.id)), actor="demo")
    if ("counterfactual", True) not in stored:
        figures = counterfactual(scripted_answer, DEFAULT_PAIRS["counterfactual"])
        _store(session, tenant, "counterfactual", figures, actor="demo", example=True)


@dataclass(frozen=True)
class ShownRun:
    """A run as the managers' page shows it: the stored run and what it found, in words."""

    run: BiasRun
    summary: str


def shown_runs(session: Session, limit: int = 60) -> list[ShownRun]:
    """The municipality's runs, newest first (the session is scoped to it)."""
    runs = session.scalars(select(BiasRun).order_by(BiasRun.created_at.desc()).limit(limit))
    return [ShownRun(run, summary(run)) for run in runs]


def latest_runs(session: Session) -> dict[str, BiasRun]:
    """The newest measured run of each probe (examples left out): what the conformity view reads."""
    latest: dict[str, BiasRun] = {}
    for run in session.scalars(
        select(BiasRun).where(BiasRun.example.is_(False)).order_by(BiasRun.created_at.desc())
    ):
        latest.setdefault(run.probe, run)
    return latest


def is_recent(run: BiasRun, now: datetime | None = None) -> bool:
    """Whether the run is younger than ``RECENT_DAYS`` (SQLite gives back times without their zone)."""
    at = run.created_at if run.created_at.tzinfo else run.created_at.replace(tzinfo=UTC)
    return (now or utcnow()) - at <= timedelta(days=RECENT_DAYS)


def _p(value: float) -> str:
    """« = 0,031 », or « < 0,001 » for the smallest."""
    return f"< {number(0.001, 3)}" if value < 0.001 else f"= {number(value, 3)}"


def flagged_gaps(figures: dict[str, Any]) -> list[str]:
    """Each flagged gap of a counterfactual run in words: « Femmes et hommes — Longueur : 61 → 132 »."""
    gaps = []
    for comparison in figures.get("comparisons", []):
        for measure in comparison["measures"]:
            if measure["flagged"]:
                first, second = measure["means"]
                gaps.append(
                    gettext_("{comparison} — {measure}: {first} → {second} (d = {effect}, p {p})").format(
                        comparison=gettext_(COMPARISON_LABELS[comparison["key"]]),
                        measure=gettext_(METRIC_LABELS[measure["metric"]]),
                        first=number(first, 2),
                        second=number(second, 2),
                        effect=number(measure["effect"], 1),
                        p=_p(measure["p_holm"]),
                    )
                )
    return gaps


def summary(run: BiasRun) -> str:
    """One sentence of what a run found, in the reader's language."""
    figures = run.figures
    if run.probe == "counterfactual":
        gaps = flagged_gaps(figures)
        pairs = figures["pairs_per_request"] * len(figures["requests"])
        text = (
            gettext_("Names changed: gaps flagged — {gaps}.").format(gaps="; ".join(gaps))
            if gaps
            else ngettext_(
                "Names changed: no gap flagged ({pairs} pair per comparison).",
                "Names changed: no gap flagged ({pairs} pairs per comparison).",
                pairs,
            ).format(pairs=pairs)
        )
    elif run.probe == "crows":
        low, high = figures["ci"]
        text = gettext_(
            "Stereotype preference: {rate} of {answered} clear answers (95 % interval {low} to {high}; "
            "50 % is neutral){flag}."
        ).format(
            rate=percent(figures["rate"]),
            answered=figures["answered"],
            low=percent(low),
            high=percent(high),
            flag=gettext_(", flagged") if run.flagged else "",
        )
    else:
        what = (
            N_("{found} of {total} job postings drafted by the model")
            if figures["subject"] == "model"
            else N_("{found} of {total} drafting templates")
        )
        text = gettext_("Job titles in the masculine only: {what}.").format(
            what=gettext_(what).format(found=figures["with_masculine_only"], total=figures["texts"])
        )
    if run.example:
        return gettext_("Example (scripted model, not a measurement): {text}").format(text=text)
    return text


def evidence(runs: dict[str, BiasRun]) -> str:
    """The latest runs in words, one sentence each, with the date of the newest."""
    newest = max(run.created_at for run in runs.values())
    return gettext_("Bias probes of {date}: {summaries}").format(
        date=day(newest), summaries=" ".join(summary(runs[p]) for p in PROBES if p in runs)
    )
