"""The CLI as an administrator uses it, with clear messages on bad input."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from balise.answers import validated_items
from balise.cli import app
from balise.db import open_session, tenant_session
from balise.evaluation.bias import BiasRun
from balise.evaluation.runs import EvalRun
from balise.tenancy import Tenant

runner = CliRunner()


@pytest.fixture
def env(engine) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"BALISE_DATABASE_URL": engine.url.render_as_string(hide_password=False)}


def _demo_id(engine: Engine) -> str:
    with open_session(engine) as session:
        return session.scalars(select(Tenant.id).where(Tenant.slug == "demo")).one()


def test_demo_is_idempotent(env, engine):  # type: ignore[no-untyped-def]
    first = runner.invoke(app, ["demo"], env=env)
    assert first.exit_code == 0, first.output
    second = runner.invoke(app, ["demo"], env=env)
    assert second.exit_code == 0, second.output
    assert "existait déjà" in second.output
    assert "admin@demo.balise.ca" in second.output
    # The logins table names the roles in French, never by their internal names.
    assert "Employé·e" in second.output and "privacy_officer" not in second.output
    # The worked example of the bias probes: the templates' job titles checked (P5, P7 built), and an
    # example run beside them, added once.
    conformity = runner.invoke(app, ["conformity", "--tenant", "demo", "--json"], env=env)
    statuses = {row["id"]: row["status"] for row in json.loads(conformity.stdout)["requirements"]}
    assert statuses["P5"] == statuses["P7"] == "in_place"
    # The worked example of the adoption step: every system in use assessed, with a complete adoption
    # case and a complete vendor assessment (G1, G3, P1, P8, G17); with the pilot's interim review
    # reported to the council and told to staff and residents, G19 too.
    assert statuses["G1"] == statuses["G3"] == statuses["P1"] == statuses["P8"] == "in_place"
    assert statuses["G17"] == "in_place" and statuses["G19"] == "in_place"
    # Every step of the strategy (issue 23) and of people and sanctioned tools (issue 24) has its worked
    # example, so a new user sees each built; L2 is the Swiss commune's (below).
    strategy = ("G1", "G2", "G3", "G5", "G14", "G15", "G18", "G19", "G20", "P1", "P7", "P8")
    people = ("D0", "G6", "G8", "G9", "G13", "G16", "G21")
    assert {rid: statuses[rid] for rid in strategy + people if statuses[rid] != "in_place"} == {}
    swiss = runner.invoke(app, ["conformity", "--tenant", "demo-valais", "--json"], env=env)
    assert {row["id"]: row["status"] for row in json.loads(swiss.stdout)["requirements"]}["L2"] == "in_place"
    with tenant_session(_demo_id(engine), engine) as session:
        runs = sorted((run.probe, run.example) for run in session.scalars(select(BiasRun)))
    assert runs == [("counterfactual", True), ("titles", False)]
    # The worked example of validated answers: two on the citizens' FAQ, added once (P4).
    with tenant_session(_demo_id(engine), engine) as session:
        assert [len(item.source_ids) for item in validated_items(session)] == [1, 1]
    assert "2 réponses validées" in json.dumps(json.loads(conformity.stdout), ensure_ascii=False)
    # The worked example of the evaluation runs (P4, G7): a small set on the demo library, run once.
    rows = {row["id"]: row for row in json.loads(conformity.stdout)["requirements"]}
    assert "Questions des citoyens (exemple)" in rows["P4"]["evidence"] and rows["G7"]["status"] == "in_place"
    with tenant_session(_demo_id(engine), engine) as session:
        evaluated = session.scalars(select(EvalRun)).all()
    assert [(run.trigger, run.items) for run in evaluated] == [("demo", 7)]


def test_admin_commands_and_their_errors(env):
    slug = "ville-cli-test"
    result = runner.invoke(app, ["admin", "create-tenant", slug, "--name", "Ville CLI"], env=env)
    assert result.exit_code == 0, result.output
    again = runner.invoke(app, ["admin", "create-tenant", slug, "--name", "Ville CLI"], env=env)
    assert again.exit_code == 2 and "existe déjà" in again.output
    bad = runner.invoke(app, ["admin", "create-tenant", "Pas Bon!", "--name", "X"], env=env)
    assert bad.exit_code == 2 and "n’est pas valide" in bad.output
    user = runner.invoke(
        app,
        [
            "admin",
            "create-user",
            "ana@example.org",
            "--tenant",
            slug,
            "--role",
            "reviewer",
            "--password-stdin",
        ],
        input="un-mot-de-passe-long\n",
        env=env,
    )
    assert user.exit_code == 0, user.output
    unknown = runner.invoke(
        app,
        [
            "admin",
            "create-user",
            "bob@example.org",
            "--tenant",
            "nulle-part",
            "--password-stdin",
        ],
        input="un-mot-de-passe-long\n",
        env=env,
    )
    assert unknown.exit_code == 2 and "Aucune municipalité" in unknown.output
    token = runner.invoke(app, ["admin", "create-token", "ana@example.org", "--tenant", slug], env=env)
    assert token.exit_code == 0 and "bal_" in token.output


def test_audit_verify_and_export(env):
    runner.invoke(app, ["demo"], env=env)
    verify = runner.invoke(app, ["audit", "verify"], env=env)
    assert verify.exit_code == 0 and "intact" in verify.output
    export = runner.invoke(app, ["audit", "export", "--tenant", "demo"], env=env)
    assert export.exit_code == 0 and '"action": "tenant.created"' in export.output


def test_set_smtp_stores_the_password_encrypted(env, engine):  # type: ignore[no-untyped-def]
    from balise.db import open_session
    from balise.tenancy import load_smtp, tenant_by_slug

    slug = "ville-smtp-cli"
    assert (
        runner.invoke(app, ["admin", "create-tenant", slug, "--name", "Ville SMTP"], env=env).exit_code == 0
    )
    base = ["admin", "set-smtp", "--tenant", slug, "--host", "smtp.ville.example", "--user", "plaintes"]
    wrong = runner.invoke(app, [*base, "--security", "ssl3", "--sender", "p@ville.example"], env=env)
    assert wrong.exit_code == 2 and "sécurisée" in wrong.output
    done = runner.invoke(
        app, [*base, "--sender", "p@ville.example", "--password-stdin"], input="secret-smtp\n", env=env
    )
    assert done.exit_code == 0, done.output
    with open_session(engine) as session:
        stored = load_smtp(tenant_by_slug(session, slug))
    assert (stored.host, stored.port, stored.security) == ("smtp.ville.example", 587, "starttls")
    assert stored.password_encrypted and "secret-smtp" not in stored.password_encrypted
