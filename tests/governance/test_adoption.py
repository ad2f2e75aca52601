"""Adoption cases, vendor scores and the gates to pilot and production, through the services."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from balise.audit.models import AuditEntry
from balise.errors import Invalid, NotFound
from balise.governance import save_assessment, save_system
from balise.governance.adoption import Document, missing_of, save_case
from balise.governance.assessment import IMPACT_QUESTIONS, MITIGATION_QUESTIONS, privacy_items
from balise.governance.gates import MoveRefused, missing_for
from balise.governance.models import AISystem
from balise.governance.vendors import CRITERIA, get_vendor, is_complete, save_vendor, score_of
from balise.i18n import use_locale
from tests.governance.adoption_data import CASE, VENDOR

ANSWERS = {q.key: q.choices[0].value for q in IMPACT_QUESTIONS + MITIGATION_QUESTIONS}


def _system(session, tenant_id: str, **fields: str) -> AISystem:  # type: ignore[no-untyped-def]
    form = {"name": "Agent des permis", "purpose": "Répondre", "hosting": "quebec", **fields}
    return save_system(session, tenant_id, form, actor="cli")


def _actions(session, system_id: str) -> list[str]:  # type: ignore[no-untyped-def]
    entries = session.scalars(
        select(AuditEntry).where(AuditEntry.target_id == system_id).order_by(AuditEntry.seq)
    )
    return [e.action for e in entries]


def test_a_case_says_which_fields_are_missing_and_reads_numbers_with_units(make_tenant, scoped) -> None:
    tenant = make_tenant()
    with scoped(tenant.id) as session:
        system = _system(session, tenant.id)
        assert len(missing_of(None)) == 16
        partial = save_case(
            session, system, {"objectives": "Aller plus vite", "budget_hours": "12,5"}, actor="cli"
        )
        missing = missing_of(partial)
        assert "Objectives" not in missing and "Staff time (hours)" not in missing
        assert "The need it answers" in missing and "Date of the council's decision" in missing
        assert partial.budget_hours == 12.5
        case = save_case(session, system, CASE, actor="cli")
        assert missing_of(case) == [] and case.budget_licences == 1200 and case.budget_training == 1500.5
        with use_locale("fr"), pytest.raises(Invalid) as refused:
            save_case(session, system, CASE | {"budget_hours": "beaucoup"}, actor="cli")
        assert "Temps du personnel (heures)" in refused.value.localized()
        assert "governance.adoption_saved" in _actions(session, system.id)


def test_the_council_document_must_be_a_pdf_docx_or_odt_of_10_mb_at_most(make_tenant, scoped) -> None:
    tenant = make_tenant()
    with scoped(tenant.id) as session:
        system = _system(session, tenant.id)
        for document in (
            Document("resolution.exe", b"MZ..."),
            Document("resolution.pdf", b"not a pdf"),
            Document("resolution.pdf", b"%PDF" + b"0" * (10 * 1024 * 1024)),
        ):
            with pytest.raises(Invalid):
                save_case(session, system, CASE, actor="cli", document=document)
        case = save_case(
            session, system, CASE, actor="cli", document=Document("resolution.odt", b"PK\x03\x04odt")
        )
        assert (case.document, case.document_type) == (
            b"PK\x03\x04odt",
            "application/vnd.oasis.opendocument.text",
        )


def test_the_vendor_score_is_the_weighted_average_of_the_criteria_scored(make_tenant, scoped) -> None:
    assert score_of({}) is None
    assert score_of({c.key: 4 for c in CRITERIA}) == 100.0
    total = sum(c.weight for c in CRITERIA)
    assert score_of({"hosting": 4} | {c.key: 0 for c in CRITERIA if c.key != "hosting"}) == round(
        100 * 3 / total, 1
    )
    assert score_of({"hosting": 2, "price": 4}) == round(100 * (3 * 2 + 1 * 4) / (4 * 4), 1)
    tenant = make_tenant()
    with scoped(tenant.id) as session:
        vendor = save_vendor(session, tenant.id, {"name": "Incomplet", "score_hosting": "4"}, actor="cli")
        assert not is_complete(vendor) and vendor.scores == {"hosting": 4}
        with pytest.raises(Invalid):
            save_vendor(session, tenant.id, VENDOR | {"score_price": "5"}, actor="cli")
        complete = save_vendor(session, tenant.id, VENDOR, actor="cli")
        assert is_complete(complete) and score_of(complete.scores) == 75.0


def test_a_move_to_pilot_is_refused_until_everything_is_complete_and_every_move_is_audited(
    make_tenant, scoped
) -> None:
    tenant = make_tenant()
    with scoped(tenant.id) as session:
        with use_locale("fr"), pytest.raises(MoveRefused) as new:
            _system(session, tenant.id, status="pilot")
        assert "commence à l’étape « prévu »" in new.value.localized()
        system = _system(session, tenant.id)
        session.commit()
        system_id = system.id
        with use_locale("fr"), pytest.raises(MoveRefused) as refused:
            save_system(
                session,
                tenant.id,
                {"name": "Agent des permis", "purpose": "Répondre", "status": "pilot", "hosting": "quebec"},
                actor="cli",
                system=system,
            )
        message = refused.value.localized()
        assert "Projet pilote" in message and "Dossier d’adoption" in message
        assert "Évaluation d’impact : pas encore faite" in message and "Évaluation du fournisseur" in message
        system = session.get(AISystem, system_id)
        assert system is not None and system.status == "planned"  # nothing half-saved
        assert _actions(session, system_id)[-1] == "governance.system_move_refused"

        save_case(session, system, CASE, actor="cli")
        save_assessment(session, system, ANSWERS, {"officer_consulted"}, actor="cli")
        vendor = save_vendor(session, tenant.id, VENDOR | {"price": ""}, actor="cli")
        system.vendor_assessment_id = vendor.id
        texts = [m.text for m in missing_for(session, system)]
        assert (
            len(texts) == 2
            and texts[0].startswith("Liste de contrôle de la vie privée")
            and "Prix" in texts[1]
        )
        assert [m.href for m in missing_for(session, system)] == [
            f"/gouvernance/registre/{system_id}/evaluation",
            f"/gouvernance/fournisseurs/{vendor.id}",
        ]
        save_assessment(session, system, ANSWERS, {k for k, _ in privacy_items(system)}, actor="cli")
        save_vendor(session, tenant.id, VENDOR, actor="cli", vendor=vendor)
        form = {
            "name": "Agent des permis",
            "purpose": "Répondre",
            "hosting": "quebec",
            "vendor_assessment_id": vendor.id,
        }
        moved = save_system(session, tenant.id, form | {"status": "pilot"}, actor="cli", system=system)
        assert moved.status == "pilot" and _actions(session, system_id)[-1] == "governance.system_moved"
        session.commit()  # a refusal rolls back the whole transaction, as a web request's
        # Moving the hosting out of Quebec asks for the assessment again, with the s. 70.1 items.
        with pytest.raises(MoveRefused):
            save_system(
                session,
                tenant.id,
                form | {"status": "production", "hosting": "canada"},
                actor="cli",
                system=moved,
            )
        moved = session.get(AISystem, system_id)
        assert moved is not None and (moved.hosting, moved.status) == ("quebec", "pilot")
        moved.hosting = "canada"
        texts = [m.text for m in missing_for(session, moved)]
        assert any("sortir les données du Québec" in t for t in texts), texts
        session.rollback()


def test_a_system_built_in_house_declares_no_vendor(make_tenant, scoped) -> None:
    tenant = make_tenant()
    with scoped(tenant.id) as session:
        system = _system(session, tenant.id)
        save_case(session, system, CASE, actor="cli")
        save_assessment(session, system, ANSWERS, {k for k, _ in privacy_items(system)}, actor="cli")
        assert [m.href for m in missing_for(session, system)] == ["/gouvernance/fournisseurs"]
        form = {"name": "Agent des permis", "purpose": "Répondre", "hosting": "quebec", "no_vendor": "1"}
        moved = save_system(session, tenant.id, form | {"status": "production"}, actor="cli", system=system)
        assert moved.status == "production" and moved.no_vendor and moved.vendor_assessment_id is None
        with pytest.raises(NotFound):
            get_vendor(session, "pas-un-fournisseur")
