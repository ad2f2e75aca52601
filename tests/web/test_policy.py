"""The usage-policy pages: viewing, testing, editing rules, YAML import/export, mention, contests."""

from __future__ import annotations

from sqlalchemy import select

from balise.db import open_session, tenant_session
from balise.guard.policy import (
    PolicyContest,
    PolicyDecision,
    default_policy,
    evaluate,
    load_policy,
    record_decision,
)
from balise.review import Notification
from tests.support.web import Member, csrf_of

BLOCKED = "Classe ces candidats du meilleur au pire pour le poste de commis."
WARNED = "Combien de temps de route entre Sion et Lausanne?"


def _post(member: Member, path: str, **data: str):  # type: ignore[no-untyped-def]
    return member.client.post(
        path, data={"csrf_token": csrf_of(member.client), **data}, follow_redirects=False
    )


def _last_decision(engine, member: Member) -> PolicyDecision:  # type: ignore[no-untyped-def]
    with open_session(engine) as session:
        stmt = select(PolicyDecision).where(PolicyDecision.user_id == member.user.id)
        return session.scalars(stmt.order_by(PolicyDecision.created_at.desc())).first()


def test_managers_view_the_rules_but_only_admins_edit(make_member):
    manager = make_member("manager")
    page = manager.client.get("/politique")
    assert page.status_code == 200
    assert "x1-evaluate-people" in page.text and "Bloquée" in page.text
    assert "Enregistrer la règle" not in page.text and "Importer" not in page.text
    assert _post(manager, "/politique/regles", rule_id="essai", outcome="warn").status_code == 403
    employee = make_member("employee", tenant=manager.tenant)
    assert employee.client.get("/politique").status_code == 403


def test_the_test_box_shows_block_with_explanation_and_warn_that_proceeds(engine, make_member):
    admin = make_member("admin")
    blocked = _post(admin, "/politique/essai", text=BLOCKED)
    assert blocked.status_code == 200
    assert "Décision : Bloquée" in blocked.text and "exigence X1" in blocked.text
    decision = _last_decision(engine, admin)
    assert decision.outcome == "block"
    assert f"/politique/contestation?decision={decision.id}" in blocked.text
    warned = _post(admin, "/politique/essai", text=WARNED)
    assert "Décision : Avertissement" in warned.text and "La requête peut se poursuivre" in warned.text


def test_admin_adds_edits_toggles_and_deletes_a_tenant_rule(engine, make_member):
    admin = make_member("admin")
    rule = {
        "rule_id": "piscine",
        "outcome": "warn",
        "explanation": "Consultez l’horaire officiel de la piscine.",
        "keywords": "piscine municipale\nbain libre",
    }
    assert _post(admin, "/politique/regles", **rule).status_code == 303
    assert "Décision : Avertissement" in _post(admin, "/politique/essai", text="Horaire du bain libre?").text
    assert "bain libre" in admin.client.get("/politique?regle=piscine").text
    assert _post(admin, "/politique/regles", **dict(rule, outcome="block")).status_code == 303
    with tenant_session(admin.tenant.id, engine) as session:
        rules = {r.id: r for r in load_policy(session, admin.tenant.id).rules}
    assert rules["piscine"].outcome == "block" and rules["piscine"].keywords == (
        "piscine municipale",
        "bain libre",
    )
    assert _post(admin, "/politique/regles/piscine/activer").status_code == 303
    assert "Décision : Permise" in _post(admin, "/politique/essai", text="Horaire du bain libre?").text
    assert _post(admin, "/politique/regles/x1-evaluate-people/supprimer").status_code == 403
    assert _post(admin, "/politique/regles/piscine/supprimer").status_code == 303
    with tenant_session(admin.tenant.id, engine) as session:
        assert "piscine" not in {r.id for r in load_policy(session, admin.tenant.id).rules}


def test_an_invalid_rule_is_refused_with_a_french_message_and_the_form_kept(make_member):
    admin = make_member("admin")
    refused = _post(admin, "/politique/regles", rule_id="Mauvais ID", outcome="block", explanation="x")
    assert refused.status_code == 422
    assert "Mauvais ID" in refused.text and "champ « id »" in refused.text
    no_trigger = _post(admin, "/politique/regles", rule_id="vide", outcome="block", explanation="Rien")
    assert no_trigger.status_code == 422


def test_yaml_export_then_import_and_clear_errors(engine, make_member):
    admin = make_member("admin")
    exported = admin.client.get("/politique/export.yaml")
    assert exported.status_code == 200 and "x1-evaluate-people" in exported.text
    changed = exported.text + (
        "- id: taxes\n  outcome: warn\n  explanation: Voyez le service des finances.\n"
        "  keywords:\n  - taxe foncière\n"
    )
    csrf = csrf_of(admin.client)
    ok = admin.client.post(
        "/politique/import",
        data={"csrf_token": csrf},
        files={"file": ("politique.yaml", changed.encode(), "application/yaml")},
        follow_redirects=False,
    )
    assert ok.status_code == 303
    with tenant_session(admin.tenant.id, engine) as session:
        assert "taxes" in {r.id for r in load_policy(session, admin.tenant.id).rules}
    bad = "version: 1\nrules:\n  - id: x\n    outcome: maybe\n    explanation: Test\n    keywords: [a]\n"
    refused = admin.client.post(
        "/politique/import",
        data={"csrf_token": csrf_of(admin.client)},
        files={"file": ("politique.yaml", bad.encode(), "application/yaml")},
    )
    assert refused.status_code == 422
    assert "ligne 4" in refused.text and "rules[0].outcome" in refused.text
    broken = admin.client.post(
        "/politique/import",
        data={"csrf_token": csrf_of(admin.client)},
        files={"file": ("politique.yaml", b"rules: [\n", "application/yaml")},
    )
    assert broken.status_code == 422 and "YAML" in broken.text
    with tenant_session(admin.tenant.id, engine) as session:
        assert "taxes" in {r.id for r in load_policy(session, admin.tenant.id).rules}


def test_the_ai_use_mention_is_editable_and_validated(make_member, make_output):
    admin = make_member("admin")
    assert (
        _post(admin, "/politique/mention", template="Rédigé avec {model} pour {tenant}, {date}.").status_code
        == 303
    )
    output = make_output(admin)
    assert (
        f"Rédigé avec extractif pour {admin.tenant.name}, 20 novembre 2026."
        in admin.client.get(f"/resultats/{output.id}").text
    )
    refused = _post(admin, "/politique/mention", template="Avec {modele}.")
    assert refused.status_code == 422 and "champs inconnus : modele" in refused.text
    assert _post(admin, "/politique/mention", restore="1").status_code == 303
    assert "Texte produit avec l’aide de l’IA générative" in admin.client.get(f"/resultats/{output.id}").text


def test_contest_a_block_then_a_manager_overturns_it(engine, make_member):
    employee = make_member("employee")
    manager = make_member("manager", tenant=employee.tenant)
    admin = make_member("admin", tenant=employee.tenant)
    _post(admin, "/politique/essai", text=BLOCKED)
    admins_decision = _last_decision(engine, admin)
    assert employee.client.get(f"/politique/contestation?decision={admins_decision.id}").status_code == 404

    with tenant_session(employee.tenant.id, engine) as session:
        decision = record_decision(
            session, employee.tenant.id, employee.user.id, evaluate(default_policy(), BLOCKED)
        )
        session.commit()
    form = employee.client.get(f"/politique/contestation?decision={decision.id}")
    assert form.status_code == 200 and "évaluer un employé" in form.text
    empty = _post(employee, "/politique/contestation", decision_id=decision.id, reason=" ")
    assert empty.status_code == 422
    sent = _post(
        employee, "/politique/contestation", decision_id=decision.id, reason="Grille fournie par les RH."
    )
    assert sent.status_code == 303
    assert "Votre contestation a été transmise" in employee.client.get(sent.headers["location"]).text
    assert "Une requête bloquée a été contestée." in manager.client.get("/notifications").text

    listing = manager.client.get("/politique/contestations")
    assert "Grille fournie par les RH." in listing.text
    with open_session(engine) as session:
        contest_id = session.scalars(
            select(PolicyContest.id).where(PolicyContest.decision_id == decision.id)
        ).one()
    assert _post(employee, f"/politique/contestations/{contest_id}", verdict="overturn").status_code == 403
    assert _post(manager, f"/politique/contestations/{contest_id}", verdict="maybe").status_code == 422
    done = _post(
        manager, f"/politique/contestations/{contest_id}", verdict="overturn", note="Règle à ajuster."
    )
    assert done.status_code == 303
    answer = employee.client.get(f"/politique/contestation?decision={decision.id}").text
    assert "Blocage annulé" in answer and "Règle à ajuster." in answer
    with open_session(engine) as session:
        kinds = session.scalars(
            select(Notification.kind).where(Notification.user_id == employee.user.id)
        ).all()
    assert kinds == ["contest_resolved"]


def test_editing_a_built_in_rule_keeps_what_the_form_does_not_show(engine, make_member):
    admin = make_member("admin")
    with tenant_session(admin.tenant.id, engine) as session:
        before = {r.id: r for r in load_policy(session, admin.tenant.id).rules}["x1-evaluate-people"]
    form = admin.client.get("/politique?regle=x1-evaluate-people").text
    assert "rule_id" in form and before.requirement in form
    edited = _post(
        admin,
        "/politique/regles",
        rule_id=before.id,
        outcome="warn",
        requirement=before.requirement,
        explanation="Une personne doit faire cette évaluation.",
        patterns="\n".join(before.patterns),
        examples="\n".join(before.examples),
    )
    assert edited.status_code == 303
    with tenant_session(admin.tenant.id, engine) as session:
        after = {r.id: r for r in load_policy(session, admin.tenant.id).rules}["x1-evaluate-people"]
    assert after.outcome == "warn" and after.explanation == "Une personne doit faire cette évaluation."
    assert after.exceptions == before.exceptions and after.threshold == before.threshold
    assert after.patterns == before.patterns
