"""`balise admin create-user` never takes the password on the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from balise.cli import app

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path, database_url: str) -> dict[str, str]:
    return {"BALISE_DATA_DIR": str(tmp_path), "BALISE_DATABASE_URL": database_url}


def _tenant(env: dict[str, str], slug: str) -> None:
    result = runner.invoke(app, ["admin", "create-tenant", slug, "--name", "Ville"], env=env)
    assert result.exit_code in (0, 2), result.output


def test_the_password_is_prompted_hidden_and_confirmed(env: dict[str, str]) -> None:
    _tenant(env, "ville-invite")
    secret = "un-secret-bien-long"
    args = ["admin", "create-user", "cleo@example.org", "--tenant", "ville-invite"]
    mismatch = runner.invoke(app, args, input=f"{secret}\nautre-chose-long\n{secret}\n{secret}\n", env=env)
    assert mismatch.exit_code == 0, mismatch.output
    assert secret not in mismatch.output  # never echoed
    assert "Mot de passe" in mismatch.output


def test_the_password_is_read_from_standard_input_and_never_an_option(env: dict[str, str]) -> None:
    _tenant(env, "ville-stdin")
    args = ["admin", "create-user", "dan@example.org", "--tenant", "ville-stdin"]
    piped = runner.invoke(app, [*args, "--password-stdin"], input="un-secret-bien-long\n", env=env)
    assert piped.exit_code == 0, piped.output
    refused = runner.invoke(app, [*args, "--password", "un-secret-bien-long"], env=env)
    assert refused.exit_code == 2
