"""The kinds added to packs (G16, issue 23): vendor assessments, AI register entries in the Eurocities
fields, the memento text and learning resources — each travels to another municipality, is found
already present the second time, never overwrites, and a damaged one refuses the whole pack."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine

from balise import pooling
from balise.db import tenant_session
from balise.governance.models import SystemStatus
from balise.governance.register import list_systems, save_system
from balise.governance.vendors import list_vendors, save_vendor
from balise.i18n import use_locale
from balise.memento import current, generate, versions
from balise.tenancy import Tenant
from balise.training.resources import ensure_resources, get_resource, save_resource

VENDOR = {
    "name": "Mistral AI",
    "hosting": "",
    "jurisdiction": "France, droit de l'UE",
    "training_reuse": "no",
    "exit_clause": "Export complet en JSON, suppression sous 30 jours.",
    "score_hosting": "3",
    "score_exit": "4",
}
SYSTEM = {
    "name": "Tri du courrier entrant",
    "purpose": "Proposer le service destinataire de chaque courrier reçu.",
    "description": "Un modèle lit l'objet du courrier et suggère un service; une personne décide.",
    "category": "classement",
    "owner_team": "Greffe",
    "supplier": "Interne",
    "human_oversight": "Le greffe confirme chaque suggestion.",
    "responsible_person": "Jeanne Exemple",
}
KINDS = ("vendor", "register_entry", "memento", "learning_resource")


def _origin(engine: Engine, tenant: Tenant) -> list[str]:
    """A municipality with one item of each new kind; the export form's keys."""
    with tenant_session(tenant.id, engine) as session, use_locale("fr"):
        town = session.merge(tenant)
        save_vendor(session, town.id, VENDOR, actor="u1")
        save_system(session, town.id, SYSTEM, actor="u1")
        generate(session, town, actor="u1")
        ensure_resources(session, town.id, actor="u1")
        save_resource(
            session,
            town.id,
            "glossary",
            {"title": "Lexique", "body": "IA : intelligence artificielle."},
            actor="u1",
        )
        session.commit()
        chosen = [f"{o.kind}:{o.key}" for o in pooling.offers(session, town) if o.kind in KINDS]
    assert sorted(key.split(":")[0] for key in chosen) == sorted(KINDS)
    return chosen


@pytest.fixture
def towns(engine: Engine, make_tenant: Callable[..., Tenant]) -> tuple[Tenant, Tenant, list[str]]:
    first, second = make_tenant("Ville qui partage"), make_tenant("Village qui reçoit")
    return first, second, _origin(engine, first)


def _pack(engine: Engine, tenant: Tenant, chosen: list[str]) -> dict[str, Any]:
    with tenant_session(tenant.id, engine) as session:
        return pooling.pack_of(session, session.merge(tenant), "Notre expérience", chosen)


def _import(engine: Engine, tenant: Tenant, data: bytes) -> dict[str, tuple[str, str]]:
    with tenant_session(tenant.id, engine) as session, use_locale("fr"):
        done = pooling.import_pack(session, session.merge(tenant), data, actor="u2")
        session.commit()
        return {o["kind"]: (o["status"], o["reason"]) for o in done.outcomes}


def test_each_new_kind_travels_and_is_present_the_second_time(engine: Engine, towns) -> None:  # type: ignore[no-untyped-def]
    first, second, chosen = towns
    pack = _pack(engine, first, chosen)
    register = next(i["content"] for i in pack["items"] if i["kind"] == "register_entry")
    assert register["description_short"] == SYSTEM["purpose"] and register["department"] == "Greffe"
    assert register["standard_version"] and "Jeanne" not in json.dumps(register)  # no person named
    data = json.dumps(pack).encode()
    outcomes = _import(engine, second, data)
    assert {kind: status for kind, (status, _r) in outcomes.items()} == dict.fromkeys(KINDS, "added")
    assert "adoptez-la" in outcomes["memento"][1]
    with tenant_session(second.id, engine) as session:
        (vendor,) = list_vendors(session)
        assert vendor.scores == {"hosting": 3, "exit": 4} and vendor.training_reuse == "no"
        (system,) = list_systems(session)
        assert (system.name, system.status, system.published) == (SYSTEM["name"], "planned", False)
        assert system.responsible_person == "" and system.owner_team == "Greffe"
        assert current(session) is None and len(versions(session)) == 1  # a draft, never adopted
        assert get_resource(session, "glossary").title == "Lexique"
    again = _import(engine, second, data)
    assert {kind: status for kind, (status, _r) in again.items()} == dict.fromkeys(KINDS, "present")


def test_a_different_item_of_the_same_name_is_refused_never_overwritten(engine: Engine, towns) -> None:  # type: ignore[no-untyped-def]
    first, second, chosen = towns
    data = json.dumps(_pack(engine, first, chosen)).encode()
    with tenant_session(second.id, engine) as session:
        save_vendor(session, second.id, {"name": "mistral ai", "score_price": "1"}, actor="u2")
        save_system(session, second.id, {**SYSTEM, "purpose": "Autre chose."}, actor="u2")
        ensure_resources(session, second.id, actor="u2")
        save_resource(session, second.id, "glossary", {"title": "Le nôtre", "body": "À nous."}, actor="u2")
        session.commit()
    outcomes = _import(engine, second, data)
    for kind in ("vendor", "register_entry", "learning_resource"):
        status, reason = outcomes[kind]
        assert status == "refused" and "rien n’a été remplacé" in reason, kind
    assert outcomes["memento"][0] == "added"
    with tenant_session(second.id, engine) as session:
        assert list_vendors(session)[0].scores == {"price": 1}
        assert list_systems(session)[0].purpose == "Autre chose."
        assert get_resource(session, "glossary").title == "Le nôtre"


@pytest.mark.parametrize(
    ("kind", "spoil"),
    [
        ("vendor", lambda c: c.update(scores={"hosting": 9})),
        ("vendor", lambda c: c.update(name="")),
        ("vendor", lambda c: c.update(training_reuse="peut-être")),
        ("register_entry", lambda c: c.update(description_short="")),
        ("register_entry", lambda c: c.update(category="pas une liste")),
        ("register_entry", lambda c: c.update(name="x" * 500)),
        ("memento", lambda c: c.update(sections=[])),
        ("memento", lambda c: c["sections"][0].update(title=["pas du texte"])),
        ("learning_resource", lambda c: c.update(key="../inconnue")),
        ("learning_resource", lambda c: c.update(body="")),
    ],
)
def test_a_damaged_item_refuses_the_whole_pack(engine: Engine, towns, kind: str, spoil) -> None:  # type: ignore[no-untyped-def]
    first, second, chosen = towns
    pack = _pack(engine, first, chosen)
    item = next(i for i in pack["items"] if i["kind"] == kind)
    spoil(item["content"])
    item["sha256"] = pooling.digest(item["content"])  # a well-formed file with bad content
    with tenant_session(second.id, engine) as session, use_locale("fr"):
        with pytest.raises(pooling.PackInvalid) as refused:
            pooling.import_pack(session, session.merge(second), json.dumps(pack).encode(), actor="u2")
        assert "rien n’a été importé" in refused.value.localized()
        assert list_vendors(session) == [] and list_systems(session) == [] and versions(session) == []


def test_a_register_entry_arrives_planned_even_when_in_production_at_its_origin(
    engine: Engine, towns
) -> None:  # type: ignore[no-untyped-def]
    first, second, chosen = towns
    pack = _pack(engine, first, [key for key in chosen if key.startswith("register_entry:")])
    pack["items"][0]["content"]["status"] = "in use"
    pack["items"][0]["sha256"] = pooling.digest(pack["items"][0]["content"])
    assert _import(engine, second, json.dumps(pack).encode())["register_entry"][0] == "added"
    with tenant_session(second.id, engine) as session:
        assert list_systems(session)[0].status == SystemStatus.PLANNED.value
