"""How much the municipality's AI tools were used, read from the usage ledger (P1, G1, G19): requests,
tokens, cost and energy by person, service, tool, model and task over a period, and its CSV export.

Every gateway request is one row of the ledger: answers of a model, answers made of extracts,
embeddings, failed calls. Costs are summed per currency (a model declares its own); a model without
fees costs nothing. People and services are those of each request when it was made.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from balise.db.base import utcnow
from balise.errors import Invalid
from balise.gateway.extractive import NAME as EXTRACTIVE
from balise.gateway.tables import ModelUsage
from balise.i18n import N_, gettext_
from balise.spreadsheet import write_csv
from balise.tenancy.models import User

DIMENSIONS = ("person", "service", "tool", "model", "task")
DIMENSION_LABELS = {
    "person": N_("By person"),
    "service": N_("By service"),
    "tool": N_("By tool"),
    "model": N_("By model"),
    "task": N_("By task"),
}
TASK_LABELS = {
    "ask": N_("Questions to the documents"),
    "summarise": N_("Summaries"),
    "draft": N_("Drafts"),
    "revise": N_("Revisions"),
}
TOOL_LABELS = {
    "assistant": N_("Staff assistant"),
    "citizen": N_("Citizen assistant"),
    "cli": N_("Command line"),
    "evaluation": N_("Evaluations"),
    "api": N_("OpenAI-compatible API"),
    "recordings": N_("Recordings"),
    "images": N_("Images"),
    "": N_("Not recorded (before quotas)"),
}
MAX_DAYS = 3660


@dataclass
class Line:
    """One person, service, tool or model (``key``, shown as ``label``) and what its requests used."""

    key: str
    label: str
    requests: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    costs: dict[str, float] = field(default_factory=dict)
    wh: float = 0.0
    gco2e: float = 0.0

    def add(self, other: Line) -> None:
        self.requests += other.requests
        self.tokens_in += other.tokens_in
        self.tokens_out += other.tokens_out
        for currency, cost in other.costs.items():
            self.costs[currency] = self.costs.get(currency, 0.0) + cost
        self.wh += other.wh
        self.gco2e += other.gco2e


@dataclass
class Consumption:
    """A period's usage, both days included: the total, then the lines of each dimension, largest first."""

    start: date
    end: date
    total: Line
    by: dict[str, list[Line]]

    @property
    def currencies(self) -> list[str]:
        return sorted(self.total.costs)


def tool_label(tool: str) -> str:
    """« Assistant du personnel », « API compatible OpenAI — openai-python »…"""
    family, _slash, client = tool.partition("/")
    label = gettext_(TOOL_LABELS[family]) if family in TOOL_LABELS else tool
    return f"{label} — {client}" if client else label


def _day(text: str, default: date) -> date:
    try:
        day = date.fromisoformat(text.strip()) if text.strip() else default
    except ValueError:
        day = date.max
    if day == date.max:  # not a date, or one whose next day (where the period ends) cannot be written
        raise Invalid("Give the period's dates as 2026-12-01, or choose them in the calendar.")
    return day


def period(start: str, end: str, today: date | None = None) -> tuple[date, date]:
    """The period asked as ISO dates, both days included; from the first of this month to today
    (UTC) when a date is not given."""
    today = today or utcnow().date()
    first, last = _day(start, today.replace(day=1)), _day(end, today)
    if last < first:
        raise Invalid("The period ends before it starts. Correct one of its dates.")
    if (last - first).days > MAX_DAYS:
        raise Invalid("Choose a period of ten years at most.")
    return first, last


def consumption(session: Session, start: date, end: date) -> Consumption:
    """The usage of the session's municipality from ``start`` to ``end`` (UTC days, both included)."""
    since = datetime.combine(start, time.min, tzinfo=UTC)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=UTC)
    groups = session.execute(
        select(
            ModelUsage.user_id,
            ModelUsage.service,
            ModelUsage.tool,
            ModelUsage.backend,
            ModelUsage.currency,
            ModelUsage.task,
            func.count(),
            func.sum(ModelUsage.tokens_in),
            func.sum(ModelUsage.tokens_out),
            func.sum(ModelUsage.cost),
            func.sum(ModelUsage.wh),
            func.sum(ModelUsage.gco2e),
        )
        .where(ModelUsage.created_at >= since, ModelUsage.created_at < until)
        .group_by(
            ModelUsage.user_id,
            ModelUsage.service,
            ModelUsage.tool,
            ModelUsage.backend,
            ModelUsage.currency,
            ModelUsage.task,
        )
    ).all()
    people = {uid for uid, *_rest in groups if uid is not None}
    names = {
        user_id: name
        for user_id, name in session.execute(select(User.id, User.display_name).where(User.id.in_(people)))
    }
    total = Line("", gettext_("Total"))
    by: dict[str, dict[str, Line]] = {dimension: {} for dimension in DIMENSIONS}
    for user_id, service, tool, backend, currency, task, count, t_in, t_out, cost, wh, gco2e in groups:
        used = Line("", "", count, int(t_in or 0), int(t_out or 0), {}, float(wh or 0), float(gco2e or 0))
        if currency:
            used.costs[currency] = float(cost or 0)
        person = names.get(user_id, user_id) if user_id else gettext_("No person (residents, commands)")
        model = gettext_("Extracts from the documents (built in)") if backend == EXTRACTIVE else backend
        keys = {
            "person": (user_id or "", person),
            "service": (service, service or gettext_("No service")),
            "tool": (tool, tool_label(tool)),
            "model": (backend, model),
            "task": (task, gettext_(TASK_LABELS[task]) if task in TASK_LABELS else task),
        }
        for dimension, (key, label) in keys.items():
            by[dimension].setdefault(key, Line(key, label)).add(used)
        total.add(used)
    ordered = {
        dimension: sorted(lines.values(), key=lambda line: (-line.requests, line.label.lower()))
        for dimension, lines in by.items()
    }
    return Consumption(start, end, total, ordered)


def consumption_csv(report: Consumption) -> str:
    """One line per person, service, tool, model and task, then the total; a cost column per currency."""
    costs = [f"cost_{currency}" for currency in report.currencies]
    columns = ["dimension", "key", "label", "requests", "tokens_in", "tokens_out", *costs, "wh", "gco2e"]
    lines = [(d, line) for d in DIMENSIONS for line in report.by[d]] + [("total", report.total)]
    return write_csv(
        (
            {
                "dimension": dimension,
                "key": line.key,
                "label": line.label,
                "requests": line.requests,
                "tokens_in": line.tokens_in,
                "tokens_out": line.tokens_out,
                **{f"cost_{c}": round(line.costs.get(c, 0.0), 6) for c in report.currencies},
                "wh": round(line.wh, 6),
                "gco2e": round(line.gco2e, 6),
            }
            for dimension, line in lines
        ),
        columns,
    )
