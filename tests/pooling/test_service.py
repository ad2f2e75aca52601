"""Packs between two municipalities: a round trip, a corrupted file refused whole, never an overwrite,
and the shared library where only what a municipality published is seen by the others."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from balise import pooling
from balise.assistant import get_template, save_template
from balise.audit.models import AuditEntry
from balise.db import tenant_session
from balise.errors import NotFound
from balise.evaluation.runs import ItemDraft, add_items, create_set, list_sets
from balise.guard.policy import Policy, Rule, load_policy, save_policy
from balise.i18n import use_locale
from balise.tenancy import Tenant

RULE = Rule(
    id="pas-de-dossiers-rh",
    outcome="block",
    explanation="Les dossiers du personnel ne passent jamais par l'assistant.",
    keywords=("dossier du personnel",),
)


def _origin(engine: Engine, tenant: Tenant) -> list[str]:
    """A municipality with its own rule and two evaluation sets; the export form's keys."""
    with tenant_session(tenant.id, engine) as session:
        town = session.merge(tenant)
        policy = load_policy(session, town.id)
        save_policy(session, town.id, Policy(rules=(*policy.rules, RULE), margin=policy.margin), actor="t")
        plain = create_set(session, town, "Hors sujet", actor="t")
        add_items(
            session, plain, [ItemDraft("Un vol pour Tokyo ?", abstain=True)], origin="manual", actor="t"
        )
        sourced = create_set(session, town, "Collecte", actor="t")
        add_items(
            session,
            sourced,
            [ItemDraft("Quand passe la collecte ?", ("Collecte des déchets",))],
            origin="manual",
            actor="t",
        )
        session.commit()
        return [
            f"policy_rule:{RULE.id}",
            "policy_rule:x1-evaluate-people",
            f"eval_set:{plain.id}",
            f"eval_set:{sourced.id}",
        ]


def _from(session: Session, reader: Tenant, publisher: Tenant) -> list[pooling.LibraryEntry]:
    """What ``reader`` sees in the library from ``publisher`` (other tests' municipalities publish too)."""
    return [e for e in pooling.library(session, session.merge(reader)) if e.pack.publisher_id == publisher.id]


@pytest.fixture
def towns(
    engine: Engine, make_tenant: Callable[..., Tenant], add_document
) -> tuple[Tenant, Tenant, list[str]]:  # type: ignore[no-untyped-def]
    first, second = make_tenant("Ville d'origine"), make_tenant("Village voisin")
    add_document(
        first.id, "Collecte des déchets", "La collecte a lieu le mardi matin dans tous les quartiers."
    )
    return first, second, _origin(engine, first)


def test_a_pack_travels_to_another_municipality_and_says_what_arrived(engine: Engine, towns) -> None:  # type: ignore[no-untyped-def]
    first, second, chosen = towns
    with tenant_session(first.id, engine) as session:
        document = pooling.build_pack(session, session.merge(first), "Règles et jeux", chosen)
    pack = json.loads(document)
    assert pack["kind"] == "balise-pack" and pack["origin"]["municipality"] == "Ville d'origine"
    assert all(item["sha256"] == pooling.digest(item["content"]) for item in pack["items"])
    with tenant_session(second.id, engine) as session, use_locale("fr"):
        done = pooling.import_pack(session, session.merge(second), document.encode(), actor="u2")
        session.commit()
        statuses = {o["title"]: (o["status"], o["reason"]) for o in done.outcomes}
        assert statuses[RULE.id] == ("added", "")
        assert statuses["x1-evaluate-people"] == ("present", "")  # a built-in rule both have
        assert statuses["Hors sujet"] == ("added", "")
        status, reason = statuses["Collecte"]
        assert status == "refused" and "Collecte des déchets" in reason  # no such document here
        assert done.origin_municipality == "Ville d'origine"
        assert RULE in load_policy(session, second.id).rules
        assert [s.name for s, _n in list_sets(session)] == ["Hors sujet"]
        again = pooling.import_pack(session, session.merge(second), document.encode(), actor="u2")
        assert {o["title"]: o["status"] for o in again.outcomes}[RULE.id] == "present"
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.tenant_id == second.id)).all()
        assert actions.count("pooling.imported") == 2


def test_a_different_rule_of_the_same_name_is_refused_never_overwritten(engine: Engine, towns) -> None:  # type: ignore[no-untyped-def]
    first, second, chosen = towns
    with tenant_session(first.id, engine) as session:
        document = pooling.build_pack(session, session.merge(first), "Règles", chosen[:1])
    mine = Rule(id=RULE.id, outcome="warn", explanation="Notre propre règle.", keywords=("rh",))
    with tenant_session(second.id, engine) as session, use_locale("fr"):
        save_policy(session, second.id, Policy(rules=(mine,)), actor="u2")
        done = pooling.import_pack(session, session.merge(second), document.encode(), actor="u2")
        assert (
            done.outcomes[0]["status"] == "refused" and "rien n’a été remplacé" in done.outcomes[0]["reason"]
        )
        assert load_policy(session, second.id).rules == (mine,)


@pytest.mark.parametrize(
    "spoil",
    [
        lambda p: p.pop("kind"),
        lambda p: p["origin"].pop("municipality"),
        lambda p: p["items"][0]["content"].update(explanation="Autre texte glissé en route."),
        lambda p: p["items"][-1].update(kind="inconnu"),
        lambda p: p.update(items=[]),
    ],
)
def test_a_spoiled_pack_is_refused_in_french_and_nothing_is_imported(engine: Engine, towns, spoil) -> None:  # type: ignore[no-untyped-def]
    first, second, chosen = towns
    with tenant_session(first.id, engine) as session:
        pack = json.loads(pooling.build_pack(session, session.merge(first), "Règles et jeux", chosen))
    spoil(pack)
    with tenant_session(second.id, engine) as session, use_locale("fr"):
        with pytest.raises(pooling.PackInvalid) as refused:
            pooling.import_pack(session, session.merge(second), json.dumps(pack).encode(), actor="u2")
        assert "rien n’a été importé" in refused.value.localized()
        assert list_sets(session) == [] and RULE not in load_policy(session, second.id).rules
        assert pooling.imports(session) == []
    with tenant_session(second.id, engine) as session, use_locale("fr"), pytest.raises(pooling.PackInvalid):
        pooling.import_pack(session, session.merge(second), b"\x89PNG pas un paquet", actor="u2")


def test_only_published_packs_are_seen_by_other_municipalities(engine: Engine, towns) -> None:  # type: ignore[no-untyped-def]
    first, second, chosen = towns
    with tenant_session(first.id, engine) as session:
        shared = pooling.publish(session, session.merge(first), "Nos règles", chosen[:1], actor="u1")
        session.commit()
        shared_id = shared.id
        assert _from(session, first, first) == []  # one's own packs are not offered back
    with tenant_session(second.id, engine) as session:
        (entry,) = _from(session, second, first)
        assert (entry.publisher, entry.pack.version, entry.imported_version) == ("Ville d'origine", 1, None)
        done = pooling.import_shared(session, session.merge(second), shared_id, actor="u2")
        session.commit()
        assert done.shared_pack_id == shared_id and done.outcomes[0]["status"] == "added"
    with tenant_session(first.id, engine) as session:
        assert pooling.publish(session, session.merge(first), "Nos règles", chosen, actor="u1").version == 2
        session.commit()
    with tenant_session(second.id, engine) as session:
        (entry,) = _from(session, second, first)
        assert entry.newer and entry.imported_version == 1
    with tenant_session(first.id, engine) as session:
        pooling.withdraw(session, session.merge(first), shared_id, actor="u1")
        session.commit()
    with tenant_session(second.id, engine) as session:
        assert _from(session, second, first) == []
        with pytest.raises(NotFound):
            pooling.import_shared(session, session.merge(second), shared_id, actor="u2")
        with pytest.raises(NotFound):
            pooling.withdraw(session, session.merge(second), shared_id, actor="u2")


def test_g16_is_in_place_once_a_pack_is_published_or_imported(engine: Engine, towns) -> None:  # type: ignore[no-untyped-def]
    from balise.governance.conformity import evaluate
    from balise.governance.evidence import gather

    first, second, chosen = towns

    def g16(tenant: Tenant) -> tuple[str, str]:
        with tenant_session(tenant.id, engine) as session, use_locale("fr"):
            (row,) = [r for r in evaluate(gather(session, session.merge(tenant))) if r.id == "G16"]
            return row.status, row.evidence

    status, evidence = g16(second)
    assert status == "attention" and "n’a ni publié ni importé" in evidence
    with tenant_session(first.id, engine) as session:
        pooling.publish(session, session.merge(first), "Nos règles", chosen[:2], actor="u1")
        session.commit()
    status, evidence = g16(first)
    assert status == "in_place" and "partage 1 paquet(s) (2 éléments)" in evidence
    with tenant_session(second.id, engine) as session:
        (entry,) = _from(session, second, first)
        pooling.import_shared(session, session.merge(second), entry.pack.id, actor="u2")
        session.commit()
    status, evidence = g16(second)
    assert status == "in_place" and "a importé 1 paquet(s) de 1 municipalités" in evidence


def test_a_rewritten_drafting_template_replaces_the_shipped_one_never_a_rewritten_one(
    engine: Engine, make_tenant: Callable[..., Tenant]
) -> None:
    first, second, third = (
        make_tenant("Ville rédactrice"),
        make_tenant("Ville neuve"),
        make_tenant("Ville à elle"),
    )
    with tenant_session(first.id, engine) as session:
        save_template(
            session,
            first.id,
            "email",
            instructions="Courriel en trois phrases.",
            skeleton="Bonjour,\n{demande}",
            actor="u1",
        )
        town = session.merge(first)
        assert [o.key for o in pooling.offers(session, town) if o.kind == "draft_template"] == ["email"]
        document = pooling.build_pack(session, town, "Modèles", ["draft_template:email"]).encode()
        session.commit()
    with tenant_session(second.id, engine) as session:
        done = pooling.import_pack(session, session.merge(second), document, actor="u2")
        assert done.outcomes[0]["status"] == "added"
        assert get_template(session, second.id, "email").instructions == "Courriel en trois phrases."
    with tenant_session(third.id, engine) as session, use_locale("fr"):
        save_template(
            session, third.id, "email", instructions="Le nôtre.", skeleton="Salut {demande}", actor="u3"
        )
        done = pooling.import_pack(session, session.merge(third), document, actor="u3")
        assert (
            done.outcomes[0]["status"] == "refused" and "rien n’a été remplacé" in done.outcomes[0]["reason"]
        )
        assert get_template(session, third.id, "email").instructions == "Le nôtre."
