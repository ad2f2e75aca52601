"""Swiss data protection (L2): the jurisdiction, the register of processing activities (nLPD art. 12),
the impact assessment (art. 22), the gates and the conformity row, through the services."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from balise.audit.models import AuditEntry
from balise.errors import Invalid
from balise.governance import save_assessment, save_system
from balise.governance.adoption import save_case
from balise.governance.conformity import evaluate
from balise.governance.dpia import consultation_needed, dpia_of, missing_of, save_dpia
from balise.governance.evidence import gather
from balise.governance.gates import missing_for
from balise.governance.processing import (
    activities_by_system,
    list_activities,
    prefill,
    register_csv,
    save_activity,
    suggested,
)
from balise.governance.processing import missing_of as activity_missing
from balise.governance.swiss_demo import DPIA, make_swiss_example
from balise.i18n import use_locale
from balise.tenancy import Tenant
from balise.tenancy.jurisdiction import QUEBEC, SWITZERLAND, is_swiss, jurisdiction_of, save_jurisdiction
from tests.governance.adoption_data import CASE
from tests.governance.test_adoption import ANSWERS


def _l2(session, tenant: Tenant) -> str:  # type: ignore[no-untyped-def]
    return next(row.status for row in evaluate(gather(session, tenant)) if row.id == "L2")


def test_the_jurisdiction_is_the_region_and_its_changes_are_audited(make_tenant, scoped) -> None:
    quebec, valais = make_tenant(), make_tenant(region="CH-VS")
    assert not is_swiss(quebec) and jurisdiction_of(quebec).kind == QUEBEC  # existing tenants stay Quebec
    assert jurisdiction_of(valais).swiss and jurisdiction_of(valais).canton == "VS"
    with scoped(quebec.id) as session:
        tenant = session.get(Tenant, quebec.id)
        assert tenant is not None
        with pytest.raises(Invalid):
            save_jurisdiction(session, tenant, SWITZERLAND, canton="Valais", actor="cli")
        law = save_jurisdiction(session, tenant, SWITZERLAND, canton="vs", cantonal_law="LIPDA", actor="cli")
        assert (tenant.region, law.cantonal_law) == ("CH-VS", "LIPDA")
        save_jurisdiction(session, tenant, QUEBEC, cantonal_law="ignoré", actor="cli")
        assert tenant.region == "QC" and "cantonal_law" not in (tenant.settings or {})
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.target_id == tenant.id)).all()
        assert actions.count("tenancy.region_changed") == 2 and "tenancy.cantonal_law_changed" in actions


def test_the_register_is_prefilled_from_the_ai_register_and_says_what_is_missing(make_tenant, scoped) -> None:
    tenant = make_tenant(name="Commune de Sion", region="CH-VS")
    with scoped(tenant.id) as session:
        system = save_system(
            session,
            tenant.id,
            {"name": "Agent des permis", "purpose": "Répondre", "hosting": "eu", "supplier": "Mistral"},
            actor="cli",
        )
        with use_locale("en"):
            values = suggested(session, tenant, system)
        assert values["controller"] == "Commune de Sion" and values["abroad_countries"] == "European Union"
        assert "Mistral" in values["recipients"] and "30 days" in values["retention"]
        assert prefill(session, tenant, actor="cli") == 1 and prefill(session, tenant, actor="cli") == 0
        entry = activities_by_system(session)[system.id]
        missing = activity_missing(entry)  # msgids
        assert "Categories of data subjects" in missing
        assert "Guarantees for the disclosure abroad (art. 16–17)" in missing  # abroad needs guarantees
        with pytest.raises(Invalid):
            save_activity(session, tenant.id, {"name": "  "}, actor="cli")
        with pytest.raises(Invalid):
            save_activity(session, tenant.id, {"name": "X", "system_id": "pas-un-systeme"}, actor="cli")
        with use_locale("en"):
            csv = register_csv(list_activities(session), {system.id: system.name})
        assert csv.splitlines()[0].startswith("Name of the processing,") and "Agent des permis" in csv


def test_the_dpia_asks_for_the_fdpic_when_the_residual_risk_stays_high(make_tenant, scoped) -> None:
    tenant = make_tenant(region="CH")
    with scoped(tenant.id) as session:
        system = save_system(session, tenant.id, {"name": "Tri du courrier", "purpose": "Trier"}, actor="cli")
        assert len(missing_of(None)) == 5
        with pytest.raises(Invalid):
            save_dpia(session, system, {"residual_risk": "énorme"}, actor="cli")
        high = save_dpia(session, system, DPIA | {"residual_risk": "high"}, actor="cli")
        assert consultation_needed(high)
        assert missing_of(high) == ["Prior consultation of the FDPIC (date, reference and opinion)"]
        done = save_dpia(
            session,
            system,
            DPIA | {"residual_risk": "high", "consultation": "PFPDT, avis du 3 mars"},
            actor="cli",
        )
        assert missing_of(done) == [] and dpia_of(session, system.id) is done


def test_a_swiss_system_needs_its_dpia_and_register_entry_instead_of_the_law_25_checklist(
    make_tenant, scoped
) -> None:
    tenant = make_tenant(region="CH-VS")
    with scoped(tenant.id) as session:
        form = {"name": "Agent des permis", "purpose": "Répondre", "hosting": "eu", "no_vendor": "1"}
        system = save_system(session, tenant.id, form, actor="cli")
        save_case(session, system, CASE, actor="cli")
        save_assessment(session, system, ANSWERS, set(), actor="cli")  # no Law 25 item checked
        with use_locale("fr"):
            missing = missing_for(session, system)
        assert [m.href for m in missing] == [
            f"/gouvernance/registre/{system.id}/aipd",
            "/gouvernance/traitements",
        ]
        assert "nLPD art. 22" in missing[0].text and "art. 12" in missing[1].text
        assert not any("Québec" in m.text for m in missing)  # nor the s. 70.1 re-assessment
        save_dpia(session, system, DPIA, actor="cli")
        prefill(session, tenant, actor="cli")
        assert missing_for(session, system) == []
        moved = save_system(session, tenant.id, form | {"status": "pilot"}, actor="cli", system=system)
        assert moved.status == "pilot"


def test_l2_is_built_for_a_swiss_worked_example_and_unchanged_for_quebec(make_tenant, scoped) -> None:
    quebec, swiss = make_tenant(), make_tenant(name="Commune de Sion")
    with scoped(quebec.id) as session:
        assert _l2(session, session.get(Tenant, quebec.id)) == "attention"
    with scoped(swiss.id) as session:
        tenant = session.get(Tenant, swiss.id)
        assert tenant is not None
        save_system(
            session, swiss.id, {"name": "Assistant", "purpose": "Répondre", "hosting": "eu"}, actor="cli"
        )
        save_jurisdiction(session, tenant, SWITZERLAND, actor="cli")
        assert _l2(session, tenant) == "attention"
        assert make_swiss_example(session, tenant) == 1
        assert tenant.region == "CH-VS" and "LIPDA" in jurisdiction_of(tenant).cantonal_law
        assert all(not activity_missing(a) for a in list_activities(session))
        assert _l2(session, tenant) == "in_place"


def test_the_demo_makes_a_swiss_commune_whose_l2_is_built(engine) -> None:  # type: ignore[no-untyped-def]
    from balise.db import open_session
    from balise.governance.swiss_demo import SWISS_DEMO_SLUG, ensure_swiss_demo

    for _ in range(2):  # a second `balise demo` changes nothing
        with open_session(engine) as session:
            tenant = ensure_swiss_demo(session, "mot-de-passe-demo-2026")
            session.commit()
            assert tenant.slug == SWISS_DEMO_SLUG and is_swiss(tenant)
            assert len(list_activities(session)) >= 1
            assert _l2(session, tenant) == "in_place"
