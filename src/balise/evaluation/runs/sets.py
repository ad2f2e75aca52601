"""A municipality's evaluation sets: made by hand, imported (JSONL, CSV), grown from residents'
feedback once staff named the right source, exported as a JSON file that can travel to another
municipality (G16).

An item names its expected documents by title or file name, as staff know them, so that a document
removed then added back again is found again. An import is checked whole: one wrong line and
nothing is imported, every wrong line is listed in French.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from balise import audit
from balise.bounds import check_length
from balise.documents.models import Document
from balise.errors import Invalid, NotFound
from balise.evaluation.runs.tables import EvalItem, EvalSet
from balise.i18n import N_, gettext_
from balise.tenancy import Role, Tenant

MAX_QUESTION = 2000
MAX_ANSWER = 2000
MAX_NAME = 120
MAX_ITEMS = 5000
MAX_SHOWN_ERRORS = 20
ORIGINS = ("manual", "import", "feedback", "validated")
FORMAT = "balise-eval-set/1"


@dataclass(frozen=True)
class ItemDraft:
    """An item before it is stored: what a form, an import line or a validated answer gives."""

    question: str
    sources: tuple[str, ...] = ()
    answer: str = ""
    abstain: bool = False
    line: int = 0
    """Its line in an imported file, for the error messages (0: numbered by position)."""


def document_names(session: Session) -> dict[str, set[str]]:
    """Each document's title, source and file name (folded case) → the ids of the documents bearing it,
    among those the session may read."""
    names: dict[str, set[str]] = {}
    for document_id, title, source in session.execute(select(Document.id, Document.title, Document.source)):
        for name in (title, source, source.rsplit("/", 1)[-1]):
            if name:
                names.setdefault(name.strip().casefold(), set()).add(document_id)
    return names


def _problem(draft: ItemDraft, names: dict[str, set[str]]) -> str | None:
    """What is wrong with a draft, in the reader's language, or None."""
    if not draft.question.strip():
        return gettext_("the question is empty")
    if len(draft.question) > MAX_QUESTION or len(draft.answer) > MAX_ANSWER:
        return gettext_("the question or the answer is longer than {max} characters").format(max=MAX_QUESTION)
    if draft.abstain and (draft.sources or draft.answer):
        return gettext_("an item that should abstain has no source and no expected answer")
    if not draft.abstain and not draft.sources:
        return gettext_("name at least one expected document, or mark the item as one that should abstain")
    unknown = [s for s in draft.sources if s.strip().casefold() not in names]
    if unknown:
        return gettext_("no document of the library is titled or named “{name}”").format(name=unknown[0])
    return None


def create_set(
    session: Session, tenant: Tenant, name: str, *, description: str = "", role: str = "employee", actor: str
) -> EvalSet:
    """A new, empty set; its name is unique in the municipality."""
    name = name.strip()
    if not name:
        raise Invalid("Give the evaluation set a name.")
    check_length(name, MAX_NAME, gettext_(N_("Name")))
    if role not in {r.value for r in Role}:
        raise Invalid("Choose whose clearance the questions are asked with from the list.")
    if session.scalar(select(EvalSet.id).where(EvalSet.name == name)) is not None:
        raise Invalid("An evaluation set named “{name}” already exists; choose another name.", name=name)
    eval_set = EvalSet(tenant_id=tenant.id, name=name, description=description.strip(), role=role)
    session.add(eval_set)
    session.flush()
    audit.record(
        session,
        "evaluation.set_created",
        actor=actor,
        tenant_id=tenant.id,
        target_type="eval_set",
        target_id=eval_set.id,
        details={"role": role},
    )
    return eval_set


def set_by_name(session: Session, name: str) -> EvalSet:
    found = session.scalar(select(EvalSet).where(EvalSet.name == name))
    if found is None:
        raise NotFound(
            "No evaluation set is named “{name}” in this municipality. Create it on the evaluation page, "
            "or give another name.",
            name=name,
        )
    return found


def get_set(session: Session, set_id: str) -> EvalSet:
    found = session.scalar(select(EvalSet).where(EvalSet.id == set_id))
    if found is None:
        raise NotFound("This evaluation set does not exist or was deleted.")
    return found


def list_sets(session: Session) -> list[tuple[EvalSet, int]]:
    """The municipality's sets with their number of items, by name."""
    counts = dict(
        session.execute(select(EvalItem.set_id, func.count()).group_by(EvalItem.set_id)).tuples().all()
    )
    sets = session.scalars(select(EvalSet).order_by(EvalSet.name))
    return [(s, int(counts.get(s.id, 0))) for s in sets]


def items_of(session: Session, eval_set: EvalSet) -> list[EvalItem]:
    return list(
        session.scalars(
            select(EvalItem).where(EvalItem.set_id == eval_set.id).order_by(EvalItem.created_at, EvalItem.id)
        )
    )


def check_drafts(session: Session, drafts: list[ItemDraft]) -> None:
    """Every wrong draft listed in one French message, before anything is stored (a set imported
    from another municipality is checked against this library the same way)."""
    names = document_names(session)
    errors = [
        gettext_("line {line}: {problem}").format(line=draft.line or number, problem=problem)
        for number, draft in enumerate(drafts, start=1)
        if (problem := _problem(draft, names)) is not None
    ]
    if errors:
        raise Invalid(
            "Nothing was imported; fix these lines and import the file again: {errors}",
            errors="; ".join(errors[:MAX_SHOWN_ERRORS]) + ("…" if len(errors) > MAX_SHOWN_ERRORS else ""),
        )


def add_items(
    session: Session, eval_set: EvalSet, drafts: Iterable[ItemDraft], *, origin: str, actor: str
) -> list[EvalItem]:
    """Stores the drafts after checking every one: any wrong draft and none is stored."""
    drafts = list(drafts)
    check_drafts(session, drafts)
    existing = session.scalar(
        select(func.count()).select_from(EvalItem).where(EvalItem.set_id == eval_set.id)
    )
    if int(existing or 0) + len(drafts) > MAX_ITEMS:
        raise Invalid("A set holds at most {max} items; split it into several sets.", max=MAX_ITEMS)
    items = [
        EvalItem(
            tenant_id=eval_set.tenant_id,
            set_id=eval_set.id,
            question=d.question.strip(),
            sources=[s.strip() for s in d.sources],
            answer=d.answer.strip(),
            abstain=d.abstain,
            origin=origin,
        )
        for d in drafts
    ]
    session.add_all(items)
    session.flush()
    audit.record(
        session,
        "evaluation.items_added",
        actor=actor,
        tenant_id=eval_set.tenant_id,
        target_type="eval_set",
        target_id=eval_set.id,
        details={"count": len(items), "origin": origin},
    )
    return items


def _truthy(value: Any) -> bool:
    return str(value).strip().casefold() in {"1", "true", "oui", "yes", "vrai", "x"}


def _sources(value: Any) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(str(v) for v in value if str(v).strip())
    return tuple(part.strip() for part in str(value or "").split("|") if part.strip())


def _draft(row: Any, line: int) -> ItemDraft:
    if not isinstance(row, dict) or not isinstance(row.get("question"), str):
        raise ValueError(gettext_("expected an object with a “question” text"))
    return ItemDraft(
        row["question"],
        _sources(row.get("sources", row.get("source", ""))),
        str(row.get("answer") or ""),
        _truthy(row.get("abstain", False)) if not isinstance(row.get("abstain"), bool) else row["abstain"],
        line,
    )


def parse_items(data: bytes, filename: str) -> list[ItemDraft]:
    """The drafts of a JSONL file (one object a line) or a CSV file (header: question, sources, answer,
    abstain; several sources separated by « | »); every unreadable line is listed."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Invalid(
            "The file {name} is not UTF-8 text; save it as UTF-8 and import it again.", name=filename
        ) from exc
    lowered = filename.lower()
    if lowered.endswith((".jsonl", ".json")):
        rows: list[tuple[int, Any]] = []
        errors: list[str] = []
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                try:
                    rows.append((number, json.loads(line)))
                except json.JSONDecodeError:
                    errors.append(gettext_("line {line}: not valid JSON").format(line=number))
    elif lowered.endswith(".csv"):
        reader = csv.DictReader(io.StringIO(text))
        if "question" not in (reader.fieldnames or []):
            raise Invalid(
                "The CSV file's first line must name its columns: question, sources, answer, abstain."
            )
        rows, errors = [(number, row) for number, row in enumerate(reader, start=2)], []
    else:
        raise Invalid("Import a .jsonl or a .csv file (the file {name} is neither).", name=filename)
    drafts = []
    for number, row in rows:
        try:
            drafts.append(_draft(row, number))
        except ValueError as exc:
            errors.append(gettext_("line {line}: {problem}").format(line=number, problem=exc))
    if errors:
        raise Invalid(
            "Nothing was imported; fix these lines and import the file again: {errors}",
            errors="; ".join(errors[:MAX_SHOWN_ERRORS]),
        )
    if not drafts:
        raise Invalid("The file {name} holds no question.", name=filename)
    return drafts


def import_items(
    session: Session, eval_set: EvalSet, data: bytes, filename: str, *, actor: str
) -> list[EvalItem]:
    """Imports a JSONL or CSV file whole, or nothing (see :func:`parse_items`)."""
    return add_items(session, eval_set, parse_items(data, filename), origin="import", actor=actor)


def export_set(session: Session, eval_set: EvalSet) -> dict[str, Any]:
    """The set as a pack another municipality can import (its documents named by title or file)."""
    return {
        "format": FORMAT,
        "name": eval_set.name,
        "description": eval_set.description,
        "role": eval_set.role,
        "items": [
            {"question": i.question, "sources": i.sources, "answer": i.answer, "abstain": i.abstain}
            for i in items_of(session, eval_set)
        ],
    }


def grow_from_validated(session: Session, eval_set: EvalSet, *, actor: str) -> list[EvalItem]:
    """The municipality's active validated answers not yet in the set become items: the question,
    the documents it rests on (by title) and its text as the expected answer."""
    from balise.answers import validated_items

    titles = dict(session.execute(select(Document.id, Document.title)).tuples().all())
    present = set(session.scalars(select(EvalItem.question).where(EvalItem.set_id == eval_set.id)))
    drafts = [
        ItemDraft(item.question, tuple(titles[i] for i in item.source_ids if titles.get(i)), item.answer)
        for item in validated_items(session)
        if item.question not in present
    ]
    if not drafts:
        raise Invalid("Every active validated answer is already in this set, or there is none yet.")
    return add_items(session, eval_set, drafts, origin="validated", actor=actor)


def unhelpful_questions(session: Session, limit: int = 50) -> list[tuple[str, str]]:
    """Residents' questions whose answer they marked « pas utile », newest first, as (id, masked
    question): staff name the right source to turn one into an item."""
    from balise.citizen.models import CitizenExchange

    rows = session.execute(
        select(CitizenExchange.id, CitizenExchange.question)
        .where(CitizenExchange.feedback == "not_useful")
        .order_by(CitizenExchange.created_at.desc())
        .limit(limit)
    )
    return [(row[0], row[1]) for row in rows]


def add_from_feedback(
    session: Session, eval_set: EvalSet, exchange_id: str, sources: tuple[str, ...], *, actor: str
) -> EvalItem:
    """A resident's « pas utile » question, with the source staff say answers it, becomes an item."""
    question = dict(unhelpful_questions(session, limit=MAX_ITEMS)).get(exchange_id)
    if question is None:
        raise NotFound("This resident question no longer exists or was not marked « pas utile ».")
    (item,) = add_items(session, eval_set, [ItemDraft(question, sources)], origin="feedback", actor=actor)
    return item
