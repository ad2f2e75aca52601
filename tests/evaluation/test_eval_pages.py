"""The evaluation pages for managers: a set made on its page (an import refused whole, in French),
the dashboard's charts as accessible SVG with their data tables, the open alert, a run with its
failed question one click away, the export, and the conformity view's P4 and G7."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from sqlalchemy import Engine, select

from balise.db import tenant_session
from balise.evaluation.runs import EvalSet, evaluate, set_thresholds
from balise.evaluation.runs.tables import EvalItem
from balise.evaluation.runs.tracing import expected_findings
from balise.governance.service import conformity_rows
from balise.i18n import use_locale
from balise.tenancy import Tenant
from tests.assistant.conftest import add_document  # noqa: F401  (shared fixture)
from tests.support.web import Member, csrf_of

AddDocument = Callable[..., str]


def _post(member: Member, path: str, **data: object):  # type: ignore[no-untyped-def]
    return member.client.post(
        path, data={"csrf_token": csrf_of(member.client), **data}, follow_redirects=False
    )


def test_a_manager_builds_a_set_runs_it_and_reads_the_dashboard_and_the_failed_items(
    make_member: Callable[..., Member],
    engine: Engine,
    add_document: AddDocument,  # noqa: F811
) -> None:
    manager = make_member("manager")
    tenant_id = manager.tenant.id
    add_document(
        tenant_id, "Collecte des déchets", "La collecte des ordures ménagères a lieu le mardi matin."
    )
    add_document(tenant_id, "Bibliothèque", "La bibliothèque municipale ouvre du mardi au samedi.")
    empty = manager.client.get("/gouvernance/evaluation")
    assert empty.status_code == 200 and "Aucun jeu d’évaluation" in empty.text
    created = _post(manager, "/gouvernance/evaluation/jeux", name="FAQ", role="employee")
    assert created.status_code == 303
    set_page = created.headers["location"]
    duplicate = _post(manager, "/gouvernance/evaluation/jeux", name="FAQ", role="employee")
    assert duplicate.status_code == 422 and "existe déjà" in duplicate.text
    added = _post(
        manager, f"{set_page}/questions", question="Quand passe la collecte ?", sources="Collecte des déchets"
    )
    assert added.status_code == 200 and "La question a été ajoutée." in added.text
    wrong = _post(manager, f"{set_page}/questions", question="Et la piscine ?", sources="Piscines")
    assert wrong.status_code == 422 and "Piscines" in wrong.text
    _post(
        manager,
        f"{set_page}/questions",
        question="Quel jour sort-on les ordures ménagères ?",
        sources="Bibliothèque",
    )
    token = csrf_of(manager.client)
    refused = manager.client.post(
        f"{set_page}/import",
        data={"csrf_token": token},
        files={"file": ("q.csv", "question,sources\nOù est le parc ?,Parcs 2020\n".encode(), "text/csv")},
    )
    assert refused.status_code == 422 and "Rien n’a été importé" in refused.text and "ligne 2" in refused.text
    imported = manager.client.post(
        f"{set_page}/import",
        data={"csrf_token": token},
        files={
            "file": ("q.jsonl", json.dumps({"question": "Un vol pour Tokyo ?", "abstain": True}).encode(), "")
        },
    )
    assert imported.status_code == 200 and "1 questions importées" in imported.text

    with tenant_session(tenant_id, engine) as session:
        tenant = session.get(Tenant, tenant_id)
        assert tenant is not None
        set_thresholds(session, tenant, {"p95_ms": 600_000}, actor="test")  # speed is the bench's business
        session.commit()  # the questions are asked in a session of their own, which writes the audit log
        eval_set = session.scalar(select(EvalSet))
        assert eval_set is not None
        first, _alerted = evaluate(session, tenant, eval_set, trigger="cli", actor="test")
        session.commit()
    with tenant_session(tenant_id, engine) as session, use_locale("fr"):
        rows = {row.id: row for row in conformity_rows(session, session.get(Tenant, tenant_id))}
        assert rows["P4"].status == "in_place" and "FAQ" in rows["P4"].evidence, rows["P4"].evidence
        assert rows["G7"].status == "attention" and "biais" in rows["G7"].evidence
    saved = _post(manager, "/gouvernance/evaluation/seuils", **{"hit@5": "80 %", "p95_ms": "60000"})
    assert saved.status_code == 303
    thresholds = manager.client.get("/gouvernance/evaluation").text
    assert 'name="hit@5" inputmode="decimal" value="0.8"' in thresholds
    assert 'name="p95_ms" inputmode="decimal" value="60000.0"' in thresholds
    too_high = _post(manager, "/gouvernance/evaluation/seuils", **{"abstain_rate": "150 %"})
    assert too_high.status_code == 422 and "entre 0 et 1" in too_high.text
    bad = _post(manager, "/gouvernance/evaluation/seuils", **{"cited_rate": "beaucoup"})
    assert bad.status_code == 422 and "beaucoup" in bad.text

    dashboard = manager.client.get("/gouvernance/evaluation").text
    assert dashboard.count('role="img" aria-labelledby="chart-') == 8
    assert "<script" not in dashboard.split("<main", 1)[1]
    assert "Document attendu parmi les cinq premiers de la recherche" in dashboard
    assert "Tableau de données" in dashboard
    run_page = manager.client.get(f"/gouvernance/evaluation/resultats/{first.id}")
    assert run_page.status_code == 200 and 'href="#echecs"' in run_page.text
    failed = run_page.text.split('id="echecs"', 1)[1]
    assert "Quel jour sort-on les ordures ménagères ?" in failed
    assert "Elle a répondu à partir d’un autre document que ceux attendus." in failed
    action = re.search(r'action="(/gouvernance/evaluation/resultats/[^"]+/trace)"', failed)
    assert action is not None
    traced = _post(manager, action.group(1))
    assert traced.status_code == 200 and "Pourquoi cette question a échoué" in traced.text
    assert "le lecteur en a cité un autre" in traced.text  # the library's two documents both came back
    assert "Passages renvoyés par la recherche" in traced.text and "Bibliothèque" in traced.text
    elsewhere = make_member("manager")
    assert _post(elsewhere, action.group(1)).status_code == 404  # another municipality's run
    export = manager.client.get(f"{set_page}/export")
    assert export.json()["items"][0]["sources"] == ["Collecte des déchets"]
    employee = make_member("employee", tenant=manager.tenant)
    assert employee.client.get("/gouvernance/evaluation").status_code == 403
    assert employee.client.get(f"/gouvernance/evaluation/resultats/{first.id}").status_code == 403


def test_validated_answers_grow_a_set_once(
    make_member: Callable[..., Member],
    engine: Engine,
    add_document: AddDocument,  # noqa: F811
) -> None:
    from balise.answers import Draft, create

    manager = make_member("manager")
    tenant_id = manager.tenant.id
    document_id = add_document(tenant_id, "Collecte des déchets", "La collecte a lieu le mardi matin.")
    with tenant_session(tenant_id, engine) as session:
        tenant = session.get(Tenant, tenant_id)
        assert tenant is not None
        question = "Quel jour passe la collecte ?"
        create(session, tenant, Draft(question, "Le mardi matin.", [document_id]), actor="reviewer-1")
        session.commit()
    set_page = _post(manager, "/gouvernance/evaluation/jeux", name="Validées", role="employee").headers[
        "location"
    ]
    added = _post(manager, f"{set_page}/validees")
    assert added.status_code == 200 and "1 réponse validée a été ajoutée." in added.text
    with tenant_session(tenant_id, engine) as session:
        (item,) = session.scalars(select(EvalItem)).all()
        assert (item.question, item.sources, item.answer, item.origin) == (
            question,
            ["Collecte des déchets"],
            "Le mardi matin.",
            "validated",
        )
    again = _post(manager, f"{set_page}/validees")
    assert again.status_code == 422 and "déjà dans ce jeu" in again.text


def test_the_expected_documents_say_where_the_fault_lies() -> None:
    steps = {"passages": [{"document_id": "a"}, {"document_id": "b"}]}
    assert expected_findings(steps, set(), set(), []) == []  # a question that should abstain
    assert "retiré ou renommé" in _french(expected_findings(steps, set(), {"a"}, ["Parcs 2020"]))
    assert "la recherche qui est en cause" in _french(expected_findings(steps, {"c"}, {"a"}, ["C"]))
    assert "le lecteur en a cité un autre" in _french(expected_findings(steps, {"b"}, {"a"}, ["B"]))
    assert expected_findings(steps, {"a"}, {"a"}, ["A"]) == []


def _french(found: list[tuple[str, str]]) -> str:
    from balise.i18n import gettext_

    with use_locale("fr"):
        return " ".join(gettext_(text) for text, _fix in found)
