"""Evaluation sets and runs of a municipality (P4, G7): import all or nothing, the JSON contract of
``balise eval run``, and the weekly job's alert when the library is degraded, cleared once restored."""

from __future__ import annotations

import json
import os
from collections.abc import Callable

import pytest
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from balise.cli import app
from balise.db import tenant_session
from balise.documents.models import Document
from balise.documents.service import delete_document
from balise.errors import Invalid
from balise.evaluation.runs import (
    EvalItem,
    EvalRun,
    EvalRunItem,
    ItemDraft,
    add_items,
    create_set,
    export_set,
    import_items,
    open_alerts,
    set_thresholds,
)
from balise.i18n import use_locale
from balise.jobs.queue import enqueue, run_worker
from balise.operations.scheduled import EVALUATION_RUNS
from balise.review import Notification
from balise.tenancy import Tenant, save_smtp
from balise.tenancy.service import create_user
from tests.assistant.conftest import add_document  # noqa: F401  (shared fixture)
from tests.support.smtp import Inbox, smtp_server  # noqa: F401

DOCUMENTS = {
    "Collecte des déchets": (
        "La collecte des ordures ménagères a lieu le mardi matin dans tous les quartiers. "
        "Les bacs roulants doivent être sortis en bordure de rue avant 7 heures."
    ),
    "Permis de piscine": (
        "Un permis municipal est requis pour installer une piscine hors terre ou creusée. "
        "La demande de permis de piscine se fait au service de l'urbanisme et coûte 50 dollars."
    ),
    "Heures de la bibliothèque": (
        "La bibliothèque municipale est ouverte du mardi au samedi, de 10 heures à 18 heures. "
        "Le prêt de livres est gratuit pour les résidents."
    ),
}
ITEMS = [
    ItemDraft("Quel jour a lieu la collecte des ordures ménagères ?", ("Collecte des déchets",), "mardi"),
    ItemDraft("Combien coûte le permis pour installer une piscine ?", ("Permis de piscine",), "50 dollars"),
    ItemDraft("Quelles sont les heures d'ouverture de la bibliothèque ?", ("Heures de la bibliothèque",)),
    ItemDraft("Quel est le prix d'un billet d'avion pour Tokyo en classe affaires ?", abstain=True),
]
AddDocument = Callable[..., str]


@pytest.fixture
def town(make_tenant: Callable[..., Tenant], add_document: AddDocument) -> Tenant:  # noqa: F811
    tenant = make_tenant("Ville évaluée")
    for title, text in DOCUMENTS.items():
        add_document(tenant.id, title, text)
    return tenant


def _new_set(engine: Engine, tenant: Tenant, items: list[ItemDraft] = ITEMS) -> str:
    """The set, with a latency threshold no loaded test machine misses: speed is the bench's business."""
    with tenant_session(tenant.id, engine) as session:
        municipality = session.merge(tenant)
        set_thresholds(session, municipality, {"p95_ms": 600_000}, actor="test")
        eval_set = create_set(session, municipality, "Questions fréquentes", actor="test")
        add_items(session, eval_set, items, origin="manual", actor="test")
        session.commit()
        return eval_set.id


def test_an_import_is_whole_or_nothing_with_each_wrong_line_in_french(engine: Engine, town: Tenant) -> None:
    good = "\n".join(
        json.dumps(row, ensure_ascii=False)
        for row in (
            {"question": "Quand passe la collecte ?", "sources": ["Collecte des déchets"], "answer": "mardi"},
            {"question": "Un vol pour Tokyo ?", "abstain": True},
        )
    )
    bad = (
        good + "\n{pas du json\n" + json.dumps({"question": "Et la piscine ?", "sources": ["Piscines 1998"]})
    )
    csv_bad = "question,sources,answer,abstain\n,Collecte des déchets,,\nEt la piscine ?,,,\n"
    with tenant_session(town.id, engine) as session, use_locale("fr"):
        eval_set = create_set(session, session.merge(town), "Import", actor="test")
        with pytest.raises(Invalid) as not_json:
            import_items(session, eval_set, bad.encode(), "questions.jsonl", actor="test")
        assert "ligne 3" in not_json.value.localized()
        with pytest.raises(Invalid) as unknown:
            import_items(
                session, eval_set, (good + "\n" + bad.splitlines()[-1]).encode(), "q.jsonl", actor="test"
            )
        assert "ligne 3" in unknown.value.localized() and "Piscines 1998" in unknown.value.localized()
        with pytest.raises(Invalid) as wrong_csv:
            import_items(session, eval_set, csv_bad.encode(), "questions.csv", actor="test")
        message = wrong_csv.value.localized()
        assert "Rien n’a été importé" in message and "ligne 2" in message and "ligne 3" in message, message
        with pytest.raises(Invalid):
            import_items(session, eval_set, b"question\n", "questions.xlsx", actor="test")
        assert session.scalars(select(EvalItem).where(EvalItem.set_id == eval_set.id)).all() == []
        imported = import_items(session, eval_set, good.encode(), "questions.jsonl", actor="test")
        assert [i.abstain for i in imported] == [False, True]
        pack = export_set(session, eval_set)
        assert pack["items"][0] == {
            "question": "Quand passe la collecte ?",
            "sources": ["Collecte des déchets"],
            "answer": "mardi",
            "abstain": False,
        }


def test_eval_run_prints_the_contract_and_stores_each_item(engine: Engine, town: Tenant) -> None:
    _new_set(engine, town)
    env = {"BALISE_DATABASE_URL": engine.url.render_as_string(hide_password=False)}
    runner = CliRunner()
    result = runner.invoke(app, ["eval", "run", "--tenant", town.slug, "--json"], env=env)
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert list(figures) == [
        "run_id",
        "set",
        "items",
        "hit@5",
        "mrr@10",
        "cited_rate",
        "answer_rate",
        "abstain_rate",
        "citation_validity",
        "supported_rate",
        "p95_ms",
        "below_threshold",
    ]
    assert figures["set"] == "Questions fréquentes" and figures["items"] == 4
    assert figures["hit@5"] == 1.0 and figures["cited_rate"] == 1.0, figures
    assert figures["abstain_rate"] == 1.0 and figures["citation_validity"] == 1.0, figures
    assert figures["below_threshold"] == []
    with tenant_session(town.id, engine) as session:
        rows = session.scalars(select(EvalRunItem).where(EvalRunItem.run_id == figures["run_id"])).all()
        assert len(rows) == 4 and all(row.failure == "" for row in rows)
    unknown = runner.invoke(app, ["eval", "run", "--tenant", town.slug, "--set", "Aucun"], env=env)
    assert unknown.exit_code == 2 and "Aucun" in unknown.output


def _scheduled_run(engine: Engine, tenant: Tenant) -> EvalRun:
    with tenant_session(tenant.id, engine) as session:
        job = enqueue(session, EVALUATION_RUNS, {"period": os.urandom(4).hex()}, tenant.id)
        session.commit()
        job_id = job.id
    run_worker(engine, job_ids=[job_id], stop_when_idle=True, poll_seconds=0.05)
    with tenant_session(tenant.id, engine) as session:
        run = session.scalars(select(EvalRun).order_by(EvalRun.created_at.desc())).first()
        assert run is not None and run.trigger == "schedule"
        session.expunge(run)
        return run


def test_a_degraded_library_raises_the_alert_in_the_app_and_by_mail_and_restoring_it_clears_it(
    engine: Engine,
    town: Tenant,
    add_document: AddDocument,  # noqa: F811
    smtp_server: Inbox,  # noqa: F811
) -> None:
    _new_set(engine, town)
    with tenant_session(town.id, engine) as session:
        tenant = session.merge(town)
        manager = create_user(session, tenant, f"gestion-{town.slug}@example.org", "x" * 16, "manager")
        save_smtp(
            session,
            tenant,
            host="127.0.0.1",
            port=smtp_server.port,
            security="none",
            user="",
            sender="balise@ville.example",
            actor="test",
        )
        set_thresholds(session, tenant, {"cited_rate": 0.9, "p95_ms": 600_000}, actor="test")
        session.commit()
        manager_id = manager.id
    healthy = _scheduled_run(engine, town)
    assert healthy.below == [] and not smtp_server.messages

    with tenant_session(town.id, engine) as session:
        for document in session.scalars(
            select(Document).where(Document.title != "Heures de la bibliothèque")
        ):
            delete_document(session, document.id, actor="test")
        session.commit()
    degraded = _scheduled_run(engine, town)
    assert "cited_rate" in degraded.below and "hit@5" in degraded.below, degraded.metrics
    with tenant_session(town.id, engine) as session:
        assert [run.id for run in open_alerts(session)] == [degraded.id]
        kinds = session.scalars(select(Notification.kind).where(Notification.user_id == manager_id)).all()
        assert kinds == ["evaluation_alert"]
        failed = session.scalars(
            select(EvalRunItem.failure)
            .where(EvalRunItem.run_id == degraded.id)
            .order_by(EvalRunItem.position)
        ).all()
        assert failed[:2] == ["abstained", "abstained"] or "wrong_source" in failed[:2], failed
    (mail,) = smtp_server.messages
    assert mail["To"] == f"gestion-{town.slug}@example.org"
    assert "Questions fréquentes" in mail["Subject"] and degraded.id in mail.get_content()

    for title, text in DOCUMENTS.items():
        if title != "Heures de la bibliothèque":
            add_document(town.id, title, text)
    restored = _scheduled_run(engine, town)
    assert restored.below == []
    with tenant_session(town.id, engine) as session:
        assert open_alerts(session) == []
        kinds = session.scalars(select(Notification.kind).where(Notification.user_id == manager_id)).all()
        assert sorted(kinds) == ["evaluation_alert", "evaluation_cleared"]
    assert len(smtp_server.messages) == 2
