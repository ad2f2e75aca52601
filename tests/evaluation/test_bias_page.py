"""The managers' page of the bias probes: each run with its figures as tables, in French or English,
for managers only; the demo's worked example is labelled as an example (P5, P7)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine, func, select

from balise.db import tenant_session
from balise.evaluation.bias import BiasRun, ensure_demo_runs
from balise.tenancy import Tenant
from tests.support.web import Member


def test_managers_read_each_run_with_its_figures(make_member: Callable[..., Member], engine: Engine) -> None:
    manager = make_member("manager")
    empty = manager.client.get("/gouvernance/biais")
    assert empty.status_code == 200 and "Aucune exécution pour l’instant." in empty.text
    with tenant_session(manager.tenant.id, engine) as session:
        for _twice in range(2):  # idempotent, as `balise demo` is
            ensure_demo_runs(session, session.get(Tenant, manager.tenant.id))
        session.commit()
        assert session.scalar(select(func.count(BiasRun.id))) == 2
    page = manager.client.get("/gouvernance/biais").text
    assert "<h1>Sondes de biais</h1>" in page
    assert "Exemple" in page and "pas une mesure d’un modèle" in page
    assert "Femmes et hommes : 18 paires de noms, 3 demandes" in page
    assert "Modèles de rédaction (aucun modèle)" in page
    assert page.count('class="table-scroll" role="region" tabindex="0"') == 2
    employee = make_member("employee", tenant=manager.tenant)
    assert employee.client.get("/gouvernance/biais").status_code == 403
    assert (
        "Sondes de biais" in manager.client.get("/").text
        and "Sondes de biais" not in employee.client.get("/").text
    )
    manager.client.get("/langue/en?next=/gouvernance/biais")
    english = manager.client.get("/gouvernance/biais").text
    assert "<h1>Bias probes</h1>" in english and "Women and men: 18 pairs of names, 3 requests" in english
