"""The demo's worked example: the demo municipality publishes its usage policy rules, its example
evaluation set, its memento text and its assessment of Balise once; its conformity view shows G16 in
place, its evidence counting the kinds shared."""

from __future__ import annotations

import json

from sqlalchemy import select

from balise.db import open_session, scope_session
from balise.demo import ensure_demo
from balise.evaluation.runs import create_set, list_sets
from balise.evaluation.runs.demo import NAME as EXAMPLE
from balise.governance import service
from balise.governance.adoption_demo import BALISE, ensure_adoption_demo
from balise.i18n import use_locale
from balise.memento.demo import ensure_demo_memento
from balise.pooling import SharedPack, UseCaseCard
from balise.pooling.demo import NAME, ensure_demo_pooling


def test_the_demo_shares_a_pack_of_its_rules_and_example_set(engine) -> None:
    with open_session(engine) as session:
        tenant = ensure_demo(session).tenant
        session.commit()
        scope_session(session, tenant.id)
        if EXAMPLE not in {s.name for s, _count in list_sets(session)}:
            create_set(session, tenant, EXAMPLE, actor="demo")  # the demo's set, without its run
        ensure_adoption_demo(session, tenant.id)  # the vendors
        ensure_demo_memento(session, tenant)
        ensure_demo_pooling(session, tenant)
        ensure_demo_pooling(session, tenant)  # idempotent
        session.commit()
        (pack,) = session.scalars(select(SharedPack).where(SharedPack.publisher_id == tenant.id)).all()
        kinds = {item["kind"] for item in json.loads(pack.document)["items"]}
        assert pack.name == NAME and pack.published and pack.version in (1, 2)  # 2: a demo made before
        assert kinds == {"policy_rule", "eval_set", "memento", "vendor"}
        vendors = [i["title"] for i in json.loads(pack.document)["items"] if i["kind"] == "vendor"]
        assert vendors == [BALISE["name"]]
        (card,) = session.scalars(select(UseCaseCard).where(UseCaseCard.publisher_id == tenant.id)).all()
        assert card.published and card.title
        rows = {row.id: row for row in service.conformity_rows(session, tenant)}
        assert rows["G16"].status == "in_place"
        with use_locale("fr"):
            assert "Évaluation des fournisseurs : 1" in rows["G16"].evidence
