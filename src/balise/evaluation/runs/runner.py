"""Running a set through the product: every question through the same ask task as the web page,
against the municipality's own library, with the clearance of the set's role; the figures stored.

The metrics are those of ``balise eval answers`` and ``eval retrieval`` (one function each in
:mod:`balise.evaluation.answers` and :mod:`balise.evaluation.retrieval`); a rate with nothing to
count (no question that should abstain, no expected answer) is ``None``, never a false zero.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from balise import audit
from balise.assistant import Options, Requester, ask
from balise.assistant.questions import searchable_question
from balise.assistant.results import TaskResult
from balise.db import tenant_session
from balise.errors import Invalid
from balise.evaluation.answers import Outcome, abstain_rate, answer_rate, cited_rate, contains_answer, rate
from balise.evaluation.retrieval import CHUNKS_PER_QUERY, _percentile, hit_at, score_ranking
from balise.evaluation.runs.sets import document_names, items_of
from balise.evaluation.runs.tables import EvalItem, EvalRun, EvalRunItem, EvalSet
from balise.gateway import reranker_for
from balise.search import search
from balise.tenancy import Tenant, visible_classifications
from balise.warmup import warm_models

METRICS = (
    "hit@5",
    "mrr@10",
    "cited_rate",
    "answer_rate",
    "abstain_rate",
    "citation_validity",
    "supported_rate",
    "p95_ms",
)
Advance = Callable[[int], None]


@dataclass
class Asked:
    """One question's outcome, what it is stored as, the documents expected, and search's ranking
    scored (``None`` for a question that should abstain)."""

    outcome: Outcome
    row: EvalRunItem
    result: TaskResult
    relevant: set[str]
    hit: bool | None
    mrr: float | None


def _ranking(session: Session, tenant_id: str, question: str) -> list[str]:
    """Search's documents for the question, in order, as the ask task searches them."""
    hits = search(
        session,
        searchable_question(session, tenant_id, question),
        tenant_id=tenant_id,
        limit=CHUNKS_PER_QUERY,
        reranker=reranker_for(session, tenant_id),
    )
    return list(dict.fromkeys(hit.document_id for hit in hits))


def _failure(item: EvalItem, result: TaskResult, cited: set[str], relevant: set[str]) -> str:
    """Why the item failed (empty: it passed): the code the run page explains."""
    if result.status == "blocked":
        return "blocked"
    if item.abstain:
        return "answered_unanswerable" if cited else ""
    if not cited:
        return "abstained"
    if not cited & relevant:
        return "wrong_source"
    if item.answer and not contains_answer(result.text, [item.answer]):
        return "answer_missing"
    return ""


def _ask_one(
    session: Session, who: Requester, item: EvalItem, position: int, names: dict[str, set[str]]
) -> Asked:
    relevant: set[str] = set().union(*(names.get(s.strip().casefold(), set()) for s in item.sources))
    started = time.perf_counter()
    ranking = [] if item.abstain else _ranking(session, who.tenant.id, item.question)
    result = ask(session, who, item.question)
    if result.status == "warning":  # the warning is advice; the employee who reads it may go on
        session.rollback()
        result = ask(session, who, item.question, Options(confirmed=True))
    ms = (time.perf_counter() - started) * 1000
    session.rollback()
    cited = {c.document_id for c in result.citations}
    row = EvalRunItem(
        tenant_id=who.tenant.id,
        item_id=item.id,
        position=position,
        question=item.question,
        expected=list(item.sources),
        cited=sorted({c.title for c in result.citations}),
        answer=result.text,
        rank=next((n for n, doc in enumerate(ranking, start=1) if doc in relevant), None),
        failure=_failure(item, result, cited, relevant),
        ms=round(ms, 1),
    )
    outcome = Outcome(item.id, not item.abstain, cited, result.text, ms)
    if item.abstain:
        return Asked(outcome, row, result, relevant, None, None)
    mrr = score_ranking(ranking, dict.fromkeys(relevant, 1))["mrr@10"] if relevant else 0.0
    return Asked(outcome, row, result, relevant, hit_at(ranking, relevant, 5), mrr)


def figures(asked: list[Asked], items: list[EvalItem]) -> dict[str, float | None]:
    """The contract's metrics of one run; ``None`` where the set has nothing to measure it on."""
    outcomes = [a.outcome for a in asked]
    answerable = [a for a in asked if a.outcome.answerable]
    gold = {i.id: [i.answer] for i in items if i.answer and not i.abstain}
    answered = [a.result for a in asked if a.result.citations]
    citations = [c for r in answered for c in r.citations]
    parts = [p for r in answered for p in r.parts]

    def measured(value: float, count: int) -> float | None:
        return value if count else None

    return {
        "hit@5": measured(rate(sum(bool(a.hit) for a in answerable), len(answerable)), len(answerable)),
        "mrr@10": measured(
            round(sum(a.mrr or 0.0 for a in answerable) / max(len(answerable), 1), 4), len(answerable)
        ),
        "cited_rate": measured(
            cited_rate(outcomes, {a.outcome.query_id: a.relevant for a in answerable}), len(answerable)
        ),
        "answer_rate": measured(answer_rate(outcomes, gold), len(gold)),
        "abstain_rate": measured(abstain_rate(outcomes), len(asked) - len(answerable)),
        "citation_validity": measured(
            rate(sum(c.verified for c in citations), len(citations)), len(citations)
        ),
        "supported_rate": measured(rate(sum(p.supported for p in parts), len(parts)), len(parts)),
        "p95_ms": measured(round(_percentile([o.ms for o in outcomes], 0.95), 1), len(outcomes)),
    }


def run_set(
    session: Session,
    tenant: Tenant,
    eval_set: EvalSet,
    *,
    trigger: str,
    actor: str,
    advance: Advance | None = None,
) -> EvalRun:
    """Asks every item of the set and stores the run with its items (the caller commits).

    The questions are asked in a session of their own, rolled back after each one, so that an
    evaluation leaves no answer, history or usage behind; only the run is kept. The caller's session
    must hold no uncommitted write: the asking session writes the audit log, whose head it would wait
    for.
    """
    from balise.evaluation.runs.alerts import below_thresholds

    items = items_of(session, eval_set)
    if not items:
        raise Invalid(
            "The evaluation set “{name}” has no question yet: add some on its page or import a file.",
            name=eval_set.name,
        )
    warm_models()  # latencies are those of a warm server, not of a process loading its models
    started = time.perf_counter()
    asked: list[Asked] = []
    bind = session.get_bind()
    with tenant_session(tenant.id, bind if isinstance(bind, Engine) else bind.engine) as asking:
        own = asking.get(Tenant, tenant.id)
        assert own is not None
        who = Requester(
            own, None, visible_classifications(eval_set.role), anonymous="evaluation", tool="evaluation"
        )
        names = document_names(asking)
        for position, item in enumerate(items, start=1):
            asked.append(_ask_one(asking, who, item, position, names))
            if advance is not None:
                advance(1)
    measured = figures(asked, items)
    run = EvalRun(
        tenant_id=tenant.id,
        set_id=eval_set.id,
        set_name=eval_set.name,
        trigger=trigger,
        metrics=measured,
        below=below_thresholds(tenant, measured),
        items=len(items),
        failed=sum(bool(a.row.failure) for a in asked),
        wh=round(sum(a.result.footprint.wh for a in asked), 6),
        gco2e=round(sum(a.result.footprint.gco2e for a in asked), 6),
        seconds=round(time.perf_counter() - started, 2),
    )
    session.add(run)
    session.flush()
    for a in asked:
        a.row.run_id = run.id
    session.add_all([a.row for a in asked])
    audit.record(
        session,
        "evaluation.run",
        actor=actor,
        tenant_id=tenant.id,
        target_type="eval_run",
        target_id=run.id,
        details={"items": run.items, "failed": run.failed, "below": run.below, "trigger": trigger},
    )
    return run


def as_contract(run: EvalRun) -> dict[str, Any]:
    """``balise eval run --json`` (../shared/DESIGN.md): these keys, exactly."""
    return {
        "run_id": run.id,
        "set": run.set_name,
        "items": run.items,
        **{metric: run.metrics.get(metric) for metric in METRICS},
        "below_threshold": list(run.below),
    }


def runs_of(session: Session, eval_set: EvalSet | None = None, limit: int = 200) -> list[EvalRun]:
    """The municipality's runs (of one set), newest first."""
    query = select(EvalRun).order_by(EvalRun.created_at.desc(), EvalRun.id).limit(limit)
    if eval_set is not None:
        query = query.where(EvalRun.set_id == eval_set.id)
    return list(session.scalars(query))
