"""Balise refuses to start with a placeholder or short secret key, and writes the files that hold
personal data (tenant exports, audit exports, backups, the key) readable by their owner only."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from balise.config import Settings, WeakSecretKey, check_secret_key
from tests.operations.conftest import Deployment, balise_ok, run_balise

HOW_TO = 'python -c "import secrets; print(secrets.token_urlsafe(48))"'


@pytest.mark.parametrize(
    "key", ["CHANGE-ME", "changeme", "secret", "Secret-Key", "CHANGE-ME-" + "0123456789" * 4, "a" * 40]
)
def test_placeholders_are_refused(key: str) -> None:
    with pytest.raises(WeakSecretKey, match="valeur d’exemple"):
        check_secret_key(key)


def test_short_keys_are_refused_and_real_ones_accepted() -> None:
    with pytest.raises(WeakSecretKey, match="31 caractères"):
        check_secret_key("k3y-" + "x7" * 12 + "abc")
    generated = "Zq0u8r1JmN4oYb2Vt9eWc3Ls5Kx6Hd7Fa8Gp0Qi1Rj2Sk"
    assert check_secret_key(generated) == generated


def test_a_placeholder_written_into_the_key_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "secret.key").write_text("changeme\n")
    with pytest.raises(WeakSecretKey):
        check_secret_key(Settings(data_dir=tmp_path, secret_key="").resolved_secret_key)


def test_the_generated_key_is_accepted_and_private(tmp_path: Path) -> None:
    key = Settings(data_dir=tmp_path, secret_key="").resolved_secret_key
    assert len(key) >= 32
    assert oct((tmp_path / "secret.key").stat().st_mode & 0o777) == "0o600"


COMMANDS = [["serve", "--port", "9"], ["worker", "--once"], ["backup", "-o", "x.tgz"]]


@pytest.mark.parametrize("command", COMMANDS)
def test_commands_refuse_to_start_with_a_placeholder_key_in_french(
    command: list[str], tmp_path: Path
) -> None:
    env = {"BALISE_DATA_DIR": str(tmp_path), "BALISE_DATABASE_URL": "", "BALISE_SECRET_KEY": "CHANGE-ME"}
    refused = run_balise(*command, env=env, timeout=120)
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    message = " ".join(refused.stderr.split())
    assert "BALISE_SECRET_KEY est une valeur d’exemple" in message and HOW_TO in message


def test_exports_and_restored_keys_are_owner_only(
    new_deployment: Callable[[], Deployment], tmp_path: Path
) -> None:
    source = new_deployment()
    balise_ok("migrate-db", env=source.env)
    balise_ok("admin", "create-tenant", "privee", "--name", "Ville privée", env=source.env)
    export = tmp_path / "privee.zip"
    balise_ok("export", "--tenant", "privee", "--output", str(export), env=source.env)
    audit = tmp_path / "journal.jsonl"
    balise_ok("audit", "export", "--output", str(audit), env=source.env)
    backup = tmp_path / "sauvegarde.tar.gz"
    balise_ok("backup", "--output", str(backup), env=source.env)
    target = new_deployment()
    balise_ok("restore", str(backup), env=target.env)
    for path in (export, audit, backup, target.data_dir / "secret.key"):
        assert oct(path.stat().st_mode & 0o777) == "0o600", path
