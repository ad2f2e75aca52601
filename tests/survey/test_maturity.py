"""The maturity self-assessment (G5): every dimension needs a level, the history keeps each
assessment, the two weakest dimensions get the guides' next steps, the chart is an accessible radar
with its table, and the conformity view's G5 follows."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine

from balise.db import tenant_session
from balise.errors import Invalid
from balise.governance.service import conformity_rows
from balise.i18n import gettext_, use_locale
from balise.survey.maturity import history, maturity_chart, save_assessment, weakest
from balise.tenancy import Tenant
from tests.support.web import Member, csrf_of

LEVELS = {
    "strategy": "2",
    "governance": "4",
    "data": "3",
    "skills": "1",
    "infrastructure": "3",
    "ethics": "5",
}


def test_an_assessment_is_kept_charted_and_its_weakest_dimensions_get_next_steps(
    engine: Engine, make_tenant: Callable[..., Tenant]
) -> None:
    tenant = make_tenant()
    with tenant_session(tenant.id, engine) as session, use_locale("fr"):
        rows = {row.id: row for row in conformity_rows(session, tenant)}
        assert rows["G5"].status == "missing"
        with pytest.raises(Invalid, match="« Données »"):
            save_assessment(session, tenant, {**LEVELS, "data": "6"}, actor="manager")
        first = save_assessment(session, tenant, LEVELS, actor="manager")
        assert [d.key for d in weakest(first)] == ["skills", "strategy"]
        assert "campagne de formation" in " ".join(gettext_(s) for s in weakest(first)[0].steps)
        save_assessment(session, tenant, {**LEVELS, "skills": "3"}, actor="manager")
        assessments = history(session)
        assert [a.levels["skills"] for a in assessments] == [1, 3]
        drawn = maturity_chart(assessments)
        assert "<svg" in drawn.svg and 'role="img"' in drawn.svg and "<script" not in drawn.svg
        skills = next(row for row in drawn.rows if row[0] == "Compétences")
        assert skills[1:] == ("1/5", "3/5")
        assert "Stratégie 2/5" in drawn.summary
        session.commit()
        rows = {row.id: row for row in conformity_rows(session, tenant)}
        assert rows["G5"].status == "in_place" and "Stratégie" in rows["G5"].evidence


def test_the_maturity_page_refuses_a_missing_level_in_french_and_saves_a_whole_assessment(
    make_member: Callable[..., Member],
) -> None:
    manager = make_member("manager")
    employee = make_member("employee", tenant=manager.tenant)
    assert employee.client.get("/gouvernance/maturite").status_code == 403
    first = manager.client.get("/gouvernance/maturite")
    assert first.status_code == 200 and "Niveau 1 :" in first.text and "<svg" not in first.text
    token = csrf_of(manager.client)
    missing = manager.client.post(
        "/gouvernance/maturite",
        data={"csrf_token": token, **{k: v for k, v in LEVELS.items() if k != "ethics"}},
    )
    assert missing.status_code == 422 and "« Éthique et inclusion »" in missing.text
    assert 'id="data-3" name="data" value="3" checked' in missing.text  # the answers given are kept
    saved = manager.client.post(
        "/gouvernance/maturite", data={"csrf_token": token, **LEVELS}, follow_redirects=False
    )
    assert saved.status_code == 303
    page = manager.client.get("/gouvernance/maturite").text
    assert "Maturité par dimension" in page and "<svg" in page and "Prochaines étapes" in page
