"""The memento's text from the settings, its versions, its adoption and the staff's acknowledgements."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from balise import memento
from balise.audit.models import AuditEntry
from balise.errors import Invalid
from balise.gateway import register_backend
from balise.governance import add_role, designate_privacy_officer, sync_register
from balise.governance.models import AISystem
from balise.i18n import use_locale
from balise.tenancy import Tenant, create_user


def _people(session, tenant: Tenant) -> dict[str, str]:  # type: ignore[no-untyped-def]
    ids = {}
    for role, name in (
        ("manager", "Geneviève Cheffe"),
        ("privacy_officer", "Paul Vie"),
        ("employee", "Émile Agent"),
    ):
        user = create_user(
            session, tenant, f"{role}-{tenant.slug}@example.org", "mot-de-passe-long", role, display_name=name
        )
        ids[role] = user.id
    return ids


def _setup(session, tenant: Tenant) -> dict[str, str]:  # type: ignore[no-untyped-def]
    ids = _people(session, tenant)
    register_backend(
        session,
        tenant.id,
        name="vllm-local",
        endpoint="http://127.0.0.1:9/v1",
        model="mistral-small",
        hosting="on_premises",
        max_classification="internal",
        allows_masked_personal=True,
        actor="test",
    )
    sync_register(session, tenant)
    designate_privacy_officer(session, tenant, ids["privacy_officer"], actor="test")
    ask = session.scalars(select(AISystem).where(AISystem.key == "task:ask")).one()
    add_role(session, ask, role="technical", person="Théo Technicien", actor="test")
    return ids


def test_generated_from_the_settings(make_tenant, scoped) -> None:
    tenant = make_tenant("Ville de Mémento")
    with scoped(tenant.id) as session, use_locale("fr"):
        municipality = session.get(Tenant, tenant.id)
        ids = _setup(session, municipality)
        version = memento.generate(session, municipality, actor=ids["manager"])
        text = {s["key"]: s["body"] for s in version.sections}
        titles = [s["title"] for s in version.sections]
        assert version.number == 1 and version.adopted_on is None
        assert "Ville de Mémento" in text["purpose"]
        assert "Modèle génératif vllm-local (mistral-small)" in text["sanctioned"]  # the model registry
        assert "Assistant documentaire (Balise)" in text["sanctioned"]  # the register
        assert "/gouvernance/outils-ia" in text["forbidden"]  # no list yet: where it will be
        for rid in ("D1", "D2", "D3", "D4"):
            assert f"{rid}. " in text["directives"]
        assert "nom et l’adresse" in text["directives"]  # the guide's D3 example
        for rid in ("X1", "X2", "X3", "X4", "X5"):
            assert f"{rid}. " in text["discouraged"]
        assert "Renseignements personnels" in text["classification"]
        assert "Aucun modèle ne peut la recevoir" in text["classification"]  # above the model's ceiling
        assert "Paul Vie" in text["contacts"] and "Geneviève Cheffe" in text["contacts"]
        assert "Théo Technicien" in text["contacts"]  # a resource person from the register's roles
        assert (
            "Conséquences pour le personnel (G9)" in titles and "Clauses pour les fournisseurs (G9)" in titles
        )
        assert "entraîner" in text["vendors"]
        listed = memento.sections(memento.Inputs("Ville", forbidden=["ChatGPT (chatgpt.com)"]))
        assert "ChatGPT (chatgpt.com)" in next(s["body"] for s in listed if s["key"] == "forbidden")
    with use_locale("en"):
        english = memento.sections(memento.Inputs("Town"))
        assert english[0]["title"] == "Purpose and scope"


def _drafted(session, tenant_id: str) -> tuple[Tenant, dict[str, str], memento.MementoVersion]:  # type: ignore[no-untyped-def]
    """A municipality with its people and a first version generated."""
    municipality = session.get(Tenant, tenant_id)
    ids = _people(session, municipality)
    return municipality, ids, memento.generate(session, municipality, actor=ids["manager"])


def test_an_edit_is_a_new_version_and_the_old_one_stays(make_tenant, scoped) -> None:
    tenant = make_tenant()
    with scoped(tenant.id) as session:
        municipality, ids, first = _drafted(session, tenant.id)
        form = {f"title_{i}": s["title"] for i, s in enumerate(first.sections)}
        form |= {f"body_{i}": s["body"] for i, s in enumerate(first.sections)}
        with pytest.raises(Invalid, match="Rien n’a changé"):
            memento.save_version(session, municipality, first, form, actor=ids["manager"])
        form |= {"body_0": "Texte revu par la direction.", "title_1": "", "body_1": ""}
        form |= {"title_new": "Outils du greffe", "body_new": "- Greffier IA", "note": "Revu"}
        second = memento.save_version(session, municipality, first, form, actor=ids["manager"])
        assert second.number == 2 and second.note == "Revu"
        assert second.sections[0]["body"] == "Texte revu par la direction."
        assert len(second.sections) == len(first.sections)  # one removed, one added
        assert second.sections[-1] == {"key": "added", "title": "Outils du greffe", "body": "- Greffier IA"}
        assert first.sections[0]["body"] != "Texte revu par la direction."  # the old version is kept
        with pytest.raises(Invalid, match="a besoin d’un titre"):
            memento.save_version(session, municipality, first, {"body_0": "sans titre"}, actor="x")
        assert [v.number for v in memento.versions(session)] == [2, 1]


def test_adoption_and_acknowledgement(make_tenant, scoped) -> None:
    tenant = make_tenant()
    with scoped(tenant.id) as session:
        municipality, ids, first = _drafted(session, tenant.id)
        assert memento.current(session) is None and memento.pending_for(session, ids["employee"]) is None
        for wrong in ("hier", (date.today() + timedelta(days=1)).isoformat()):
            with pytest.raises(Invalid):
                memento.adopt(session, municipality, first, wrong, actor=ids["manager"])
        memento.adopt(session, municipality, first, date.today().isoformat(), actor=ids["manager"])
        with pytest.raises(Invalid, match="déjà adoptée"):
            memento.adopt(session, municipality, first, date.today().isoformat(), actor=ids["manager"])
        assert memento.current(session) is first
        assert memento.pending_for(session, ids["employee"]) is first
        memento.acknowledge(session, municipality, ids["employee"], first.id)
        memento.acknowledge(session, municipality, ids["employee"], first.id)  # twice: kept once
        assert memento.pending_for(session, ids["employee"]) is None
        readers = memento.readers(session, municipality, first)
        assert [r.user.display_name for r in readers if r.acknowledged_at] == ["Émile Agent"]
        assert readers[0].acknowledged_at is None  # who has not acknowledged comes first
        facts = memento.memento_facts(session, municipality)
        assert (facts.number, facts.staff, facts.acknowledged) == (1, 3, 1)

        second = memento.generate(session, municipality, actor=ids["manager"])
        with pytest.raises(Invalid, match="version plus récente"):
            memento.acknowledge(session, municipality, ids["employee"], second.id)  # not adopted
        memento.adopt(session, municipality, second, date.today().isoformat(), actor=ids["manager"])
        assert memento.pending_for(session, ids["employee"]) is second  # asked again
        with pytest.raises(Invalid, match="version plus récente"):
            memento.acknowledge(session, municipality, ids["employee"], first.id)
        actions = [
            e.action
            for e in session.scalars(
                select(AuditEntry).where(
                    AuditEntry.tenant_id == tenant.id, AuditEntry.action.like("memento.%")
                )
            )
        ]
        assert actions == [
            "memento.generated",
            "memento.adopted",
            "memento.acknowledged",
            "memento.generated",
            "memento.adopted",
        ]
        session.commit()


def test_the_memento_names_the_services_the_municipality_forbids(make_tenant, scoped) -> None:  # type: ignore[no-untyped-def]
    from balise.governance.shadow import save_service

    tenant = make_tenant()
    with scoped(tenant.id) as session:
        municipality = session.get(Tenant, tenant.id)
        save_service(
            session,
            tenant.id,
            {"name": "Le Chat", "status": "forbidden", "domains": "chat.mistral.ai", "note": ""},
            actor="test",
        )
        inputs = memento.gather_inputs(session, municipality)
    assert inputs.forbidden == ["Le Chat (chat.mistral.ai)"]
