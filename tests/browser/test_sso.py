"""Single sign-on in a real browser against a real OpenID provider (`oidc-provider`, on loopback).

A municipality of its own on the browser server is set up with the CLI (``balise tenant sso``), its
groups mapped to roles: the first sign-in creates the account with the mapped role, the second reuses
it, a person whose groups map to no role sees a clear refusal, and signing out goes to the provider.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, func, select

from balise.audit.models import AuditEntry
from balise.db import open_session
from balise.tenancy import Membership, Tenant, User
from balise.tenancy.models import SsoIdentity
from tests.browser.conftest import BALISE, ROOT, check_accessibility, visit
from tests.support.ports import free_port

pytestmark = pytest.mark.browser

PROVIDER_SCRIPT = ROOT / "tests" / "support" / "oidc_provider.mjs"
SLUG = "sso-ville"
START_SECONDS = 60
LOCAL, LOCAL_PASSWORD = "locale@sso.example", "mot-de-passe-local-2026"


def _start_provider(balise: str, log: Path) -> tuple[subprocess.Popen[bytes], str] | None:
    port = free_port()
    with log.open("wb") as output:
        process = subprocess.Popen(
            ["node", str(PROVIDER_SCRIPT), str(port), balise], cwd=ROOT, stdout=output, stderr=output
        )
    issuer = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(issuer + "/.well-known/openid-configuration", timeout=5).status_code == 200:
                return process, issuer
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.kill()
    process.wait(timeout=10)
    return None


@pytest.fixture(scope="module")
def provider(server: str, server_data_dir: Path) -> Iterator[str]:
    """The OpenID provider, and the municipality `sso-ville` on the browser server that trusts it."""
    if not (ROOT / "node_modules" / "oidc-provider").exists():
        pytest.fail("oidc-provider is missing: run `make node-deps`.")
    log = server_data_dir / "oidc-provider.log"
    started = _start_provider(server, log)
    if started is None:
        raise RuntimeError("oidc-provider did not start: " + log.read_text(errors="replace"))
    process, issuer = started
    env = {**os.environ, "BALISE_DATA_DIR": str(server_data_dir)}
    env.pop("BALISE_DATABASE_URL", None)
    subprocess.run(
        [*BALISE, "admin", "create-tenant", SLUG, "--name", "Ville SSO"],
        env=env,
        cwd=server_data_dir,
        check=True,
        capture_output=True,
    )
    configured = subprocess.run(
        [
            *BALISE,
            "tenant",
            "sso",
            SLUG,
            "--issuer",
            issuer,
            "--client-id",
            "balise",
            "--client-secret-stdin",
            "--scopes",
            "openid email profile groups",
            "--map",
            "balise-admins=admin",
            "--map",
            "balise-staff=employee",
        ],
        input=b"secret-de-test-sso\n",
        env=env,
        cwd=server_data_dir,
        capture_output=True,
    )
    assert configured.returncode == 0, configured.stderr.decode()
    assert "conservé chiffré" in configured.stdout.decode()
    subprocess.run(
        [*BALISE, "admin", "create-user", LOCAL, "--tenant", SLUG, "--password-stdin"],
        input=(LOCAL_PASSWORD + "\n").encode(),
        env=env,
        cwd=server_data_dir,
        check=True,
        capture_output=True,
    )
    yield issuer
    process.terminate()
    process.wait(timeout=10)


def _sign_in_at_provider(page, issuer: str, login: str) -> None:  # type: ignore[no-untyped-def]
    visit(page, f"/connexion?municipalite={SLUG}")
    page.get_by_role("link", name="Se connecter avec votre compte de l’organisation").click()
    page.wait_for_url(issuer + "/**")
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("nimporte-quoi")
    page.get_by_role("button", name="Sign-in").click()


def _people(engine: Engine, email: str) -> tuple[int, list[str], int, int]:
    """(accounts with this e-mail, their roles in sso-ville, their identities, their creations audited)."""
    with open_session(engine) as session:
        tenant_id = session.scalars(select(Tenant.id).where(Tenant.slug == SLUG)).one()
        users = list(session.scalars(select(User.id).where(User.email == email)))
        roles = list(
            session.scalars(
                select(Membership.role).where(
                    Membership.user_id.in_(users), Membership.tenant_id == tenant_id
                )
            )
        )
        identities = session.scalar(
            select(func.count()).select_from(SsoIdentity).where(SsoIdentity.user_id.in_(users))
        )
        created = session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "user.created_by_sso", AuditEntry.target_id.in_(users))
        )
        return len(users), roles, identities or 0, created or 0


def test_sign_in_creates_the_account_then_reuses_it_and_signs_out_at_the_provider(
    page, provider, server_engine
):
    _sign_in_at_provider(page, provider, "alice")
    page.wait_for_url("**/")
    check_accessibility(page)
    assert "Alice Admin" in page.locator(".who").inner_text()
    assert _people(server_engine, "alice@sso.example") == (1, ["admin"], 1, 1)

    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(provider + "/session/end**")
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_url("**/connexion**")
    check_accessibility(page)

    _sign_in_at_provider(page, provider, "alice")  # the provider asks again: its session ended too
    page.wait_for_url("**/")
    assert "Alice Admin" in page.locator(".who").inner_text()
    assert _people(server_engine, "alice@sso.example") == (1, ["admin"], 1, 1)


def test_a_staff_group_gives_the_employee_role(page, provider, server_engine):
    _sign_in_at_provider(page, provider, "bob")
    page.wait_for_url("**/")
    assert _people(server_engine, "bob@sso.example")[:2] == (1, ["employee"])


def test_a_person_whose_groups_map_to_no_role_is_refused_with_a_clear_page(page, provider, server_engine):
    _sign_in_at_provider(page, provider, "carol")
    page.wait_for_url("**/sso/retour**")
    check_accessibility(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Connexion refusée"
    message = page.get_by_role("alert").inner_text()
    assert "aucun de vos groupes (comptabilite)" in message and "Ville SSO" in message
    assert _people(server_engine, "carol@sso.example")[0] == 0


def test_the_administrator_sees_the_settings_page(page, provider):
    _sign_in_at_provider(page, provider, "alice")
    page.wait_for_url("**/")
    visit(page, "/sso/parametres")
    assert page.get_by_label("Adresse de l’émetteur").input_value() == provider
    assert "balise-admins = admin" in page.get_by_label("Groupes et leurs rôles").input_value()
    page.get_by_role("button", name="Enregistrer").click()
    assert "ont été enregistrés" in page.get_by_role("status").first.inner_text()
    check_accessibility(page)


def test_a_local_account_still_signs_in_and_hears_of_failed_attempts(page, provider):
    visit(page, f"/connexion?municipalite={SLUG}")
    for _attempt in range(3):
        page.get_by_label("Adresse courriel").fill(LOCAL)
        page.get_by_label("Mot de passe").fill("pas-le-bon")
        page.get_by_role("button", name="Se connecter", exact=True).click()
        page.get_by_role("alert").wait_for()
    page.get_by_label("Adresse courriel").fill(LOCAL)
    page.get_by_label("Mot de passe").fill(LOCAL_PASSWORD)
    page.get_by_role("button", name="Se connecter", exact=True).click()
    page.get_by_role("heading", name="Tentatives de connexion échouées sur votre compte").wait_for()
    check_accessibility(page)
    assert "3 tentatives de connexion" in page.get_by_role("alert").inner_text()
    page.get_by_role("link", name="Continuer").click()
    page.wait_for_url("**/")
