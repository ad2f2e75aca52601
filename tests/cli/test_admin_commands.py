"""``balise admin reset-password``, ``list-tenants``, ``maintenance`` and ``balise doctor`` (issue 22)."""

from __future__ import annotations

import json
import os

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from balise.audit.models import AuditEntry
from balise.cli import app
from balise.db import open_session
from balise.operations import doctor as doctor_module
from balise.operations.doctor import Check
from balise.tenancy import User, create_user
from balise.tenancy.models import WebSession
from balise.tenancy.passwords import verify_password
from balise.tenancy.service import open_web_session
from tests.support.web import PASSWORD

runner = CliRunner()


def _env(engine) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"BALISE_DATABASE_URL": engine.url.render_as_string(hide_password=False)}


def test_reset_password_from_stdin_or_generated_ends_sessions_and_is_audited(engine, make_tenant):
    tenant = make_tenant()
    email = f"reset-{os.urandom(3).hex()}@example.org"
    with open_session(engine) as session:
        user = create_user(session, session.merge(tenant), email, PASSWORD, "employee")
        open_web_session(session, user, tenant.id, 8)
        session.commit()
        user_id = user.id
    short = runner.invoke(
        app, ["admin", "reset-password", email, "--password-stdin"], input="court\n", env=_env(engine)
    )
    assert short.exit_code == 2 and "au moins" in short.output
    given = runner.invoke(
        app,
        ["admin", "reset-password", email, "--password-stdin"],
        input="un-nouveau-secret\n",
        env=_env(engine),
    )
    assert given.exit_code == 0 and "un-nouveau-secret" not in given.output, given.output
    with open_session(engine) as session:
        user = session.get(User, user_id)
        assert user is not None and verify_password(user.password_hash, "un-nouveau-secret")
        assert session.scalars(select(WebSession).where(WebSession.user_id == user_id)).first() is None
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.target_id == user_id)).all()
        assert "user.password_reset" in actions
    generated = runner.invoke(app, ["admin", "reset-password", email], env=_env(engine))
    assert generated.exit_code == 0, generated.output
    password = generated.output.strip().rsplit(" ", 1)[-1]
    with open_session(engine) as session:
        user = session.get(User, user_id)
        assert user is not None and verify_password(user.password_hash, password)
    nobody = runner.invoke(app, ["admin", "reset-password", "personne@example.org"], env=_env(engine))
    assert nobody.exit_code == 2 and "personne@example.org" in nobody.output


def test_list_tenants_counts_people(engine, make_tenant):
    tenant = make_tenant("Ville-Listée")
    with open_session(engine) as session:
        for n in range(2):
            create_user(
                session, session.merge(tenant), f"l{n}-{tenant.slug}@example.org", PASSWORD, "employee"
            )
        session.commit()
    listed = runner.invoke(app, ["admin", "list-tenants", "--json"], env=_env(engine))
    assert listed.exit_code == 0, listed.output
    row = next(row for row in json.loads(listed.output) if row["slug"] == tenant.slug)
    assert row["people"] == 2 and row["documents"] == 0 and row["name"] == tenant.name
    table = runner.invoke(app, ["admin", "list-tenants"], env=_env(engine))
    assert tenant.slug in table.output


def test_maintenance_on_off_and_status():
    on = runner.invoke(app, ["admin", "maintenance", "on", "--message", "Retour à 7 h."])
    assert on.exit_code == 0 and "Retour à 7 h." in on.output and "activé" in on.output
    assert "Retour à 7 h." in runner.invoke(app, ["admin", "maintenance"]).output
    off = runner.invoke(app, ["admin", "maintenance", "off"])
    assert off.exit_code == 0 and "désactivé" in off.output
    assert runner.invoke(app, ["admin", "maintenance", "peut-être"]).exit_code == 2


def test_doctor_reports_each_check_and_fails_on_any_failure(engine, monkeypatch: pytest.MonkeyPatch):
    """The models are not loaded here (seconds of CPU); their checks are the same ``run_checks`` loop."""

    def broken() -> list[Check]:
        raise OSError("modèle introuvable")

    monkeypatch.setattr(
        doctor_module,
        "CHECKS",
        tuple((name, check) for name, check in doctor_module.CHECKS if "model" not in name.lower()),
    )
    monkeypatch.setenv("BALISE_TRUSTED_PROXIES", "pas-une-adresse")
    from balise.config import get_settings

    get_settings.cache_clear()
    try:
        failed = runner.invoke(app, ["doctor", "--json"], env=_env(engine))
        results = {row["name"]: row for row in json.loads(failed.output)}
        assert failed.exit_code == 1
        assert results["Connexion à la base de données"]["ok"]
        assert results["Schéma de la base de données"]["ok"]
        assert results.get("Extension pgvector", {"ok": engine.dialect.name != "postgresql"})["ok"]
        assert not results["Mandataires de confiance"]["ok"] and results["Mandataires de confiance"]["fix"]
        monkeypatch.delenv("BALISE_TRUSTED_PROXIES")
        get_settings.cache_clear()
        monkeypatch.setattr(doctor_module.shutil, "which", lambda name: "/usr/bin/" + name)
        passed = runner.invoke(app, ["doctor"], env=_env(engine))
        assert passed.exit_code == 0 and "✗" not in passed.output and "✓" in passed.output, passed.output
        monkeypatch.setattr(doctor_module, "CHECKS", ((doctor_module.N_("Embedding model"), broken),))
        model = runner.invoke(app, ["doctor"], env=_env(engine))
        assert model.exit_code == 1 and "✗" in model.output and "modèle introuvable" in model.output
    finally:
        get_settings.cache_clear()
