"""The register: automatic entries kept current with the model registry, records, public exports."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from balise.audit.models import AuditEntry
from balise.errors import Invalid
from balise.gateway import register_backend, remove_backend
from balise.governance import (
    AISystem,
    eurocities_json,
    list_systems,
    public_csv,
    public_json,
    save_system,
    sync_register,
)
from balise.governance.register import BALISE_TASKS, PUBLIC_COLUMNS
from balise.tenancy import Tenant


def _model(session, tenant_id: str, name: str = "vllm-local", hosting: str = "on_premises") -> None:  # type: ignore[no-untyped-def]
    register_backend(
        session,
        tenant_id,
        name=name,
        endpoint="http://127.0.0.1:9/v1",
        model="mistral-small",
        hosting=hosting,
        max_classification="internal",
        allows_masked_personal=True,
        actor="cli",
    )


def test_tasks_and_models_are_entered_kept_current_and_retired(make_tenant, scoped) -> None:
    tenant = make_tenant()
    with scoped(tenant.id) as session:
        municipality = session.get(Tenant, tenant.id)
        _model(session, tenant.id)
        assert sync_register(session, municipality) == len(BALISE_TASKS) + 1
        assert sync_register(session, municipality) == 0  # idempotent
        door = session.scalars(select(AISystem).where(AISystem.key == "task:openai_api")).one()
        assert door.published and "OpenAI" in door.name  # the sanctioned door is a listed tool (D0)
        model = session.scalars(select(AISystem).where(AISystem.key == "model:vllm-local")).one()
        assert (model.hosting, model.supplier, model.status) == (
            "on_premises",
            "openai-compatible",
            "production",
        )
        model.purpose = "Texte écrit par la gestionnaire"
        remove_backend(session, tenant.id, "vllm-local", actor="cli")
        _model(session, tenant.id, hosting="canada")
        assert sync_register(session, municipality) == 1
        assert model.hosting == "canada" and model.purpose == "Texte écrit par la gestionnaire"
        remove_backend(session, tenant.id, "vllm-local", actor="cli")
        sync_register(session, municipality)
        assert model.status == "retired" and model.end_date is not None
        actions = [
            e.action
            for e in session.scalars(
                select(AuditEntry).where(AuditEntry.tenant_id == tenant.id, AuditEntry.target_id == model.id)
            )
        ]
        assert actions == [
            "governance.system_entered",
            "governance.system_synced",
            "governance.system_retired",
        ]
        session.commit()


def test_a_record_is_validated_saved_and_audited(make_tenant, scoped) -> None:
    tenant = make_tenant()
    with scoped(tenant.id) as session:
        with pytest.raises(Invalid):
            save_system(session, tenant.id, {"name": "Sans but"}, actor="cli")
        with pytest.raises(Invalid) as dates:
            save_system(
                session,
                tenant.id,
                {"name": "X", "purpose": "Y", "start_date": "2026-05-01", "end_date": "2026-04-01"},
                actor="cli",
            )
        assert "date de fin" in dates.value.localized()
        system = save_system(
            session,
            tenant.id,
            {
                "name": "Tri du courrier",
                "purpose": "Classer",
                "status": "planned",
                "published": "1",
                "hosting": "quebec",
            },
            actor="cli",
        )
        session.commit()
        assert system.published and system.status == "planned"
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.target_id == system.id, AuditEntry.tenant_id == tenant.id)
        ).one()
        assert entry.action == "governance.system_created" and "name" in entry.details["fields"]


def test_exports_carry_the_published_records_only(make_tenant, scoped) -> None:
    tenant = make_tenant()
    with scoped(tenant.id) as session:
        municipality = session.get(Tenant, tenant.id)
        save_system(session, tenant.id, {"name": "Caché", "purpose": "Interne"}, actor="cli")
        shown = save_system(
            session,
            tenant.id,
            {"name": "Agent, « virtuel »", "purpose": "Répondre", "published": "on"},
            actor="cli",
        )
        systems = list_systems(session, published_only=True)
        assert [s.id for s in systems] == [shown.id]
        data = public_json(municipality, systems, "https://x/plainte")
        assert (
            data["systems"][0]["name"] == "Agent, « virtuel »" and data["complaints"] == "https://x/plainte"
        )
        rows = list(csv.DictReader(io.StringIO(public_csv(systems))))
        assert list(rows[0]) == list(PUBLIC_COLUMNS) and rows[0]["name"] == "Agent, « virtuel »"
        euro = eurocities_json(
            municipality, systems, url="https://x", complaint_url="https://x/p", contact_email="a@b.c"
        )
        assert euro[0]["standard_version"] == "0.3.1" and euro[0]["organization"] == municipality.name
        assert {"goal", "human_intervention", "objection_procedure", "source_data", "uuid"} <= set(euro[0])


def test_a_person_of_another_municipality_cannot_be_linked(make_tenant, scoped, engine) -> None:
    from balise.db import open_session
    from balise.tenancy import create_user

    other = make_tenant("Autre")
    with open_session(engine) as session:
        stranger = create_user(
            session, session.merge(other), "x@autre.org", "correct-horse-battery", "manager"
        )
        session.commit()
    tenant = make_tenant()
    with scoped(tenant.id) as session:
        with pytest.raises(Invalid) as refused:
            save_system(
                session,
                tenant.id,
                {"name": "A", "purpose": "B", "responsible_user_id": stranger.id},
                actor="cli",
            )
        assert "personne de la municipalité" in refused.value.localized()
