"""docs/deploy.md as written: its generated settings reference is current, its role and database
commands work with an ordinary role, and the units and compose file name real commands."""

from __future__ import annotations

import importlib.util
import re
import shlex
from pathlib import Path

import yaml

from balise.cli import app
from tests.operations.conftest import ROOT, Postgres, run_balise

GUIDE = ROOT / "docs" / "deploy.md"


def _script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "settings_reference", ROOT / "scripts" / "settings_reference.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_settings_reference_is_generated_and_current():
    script = _script()
    guide = GUIDE.read_text(encoding="utf-8")
    assert script.render(guide) == guide, "run python scripts/settings_reference.py"
    for name in (
        "BALISE_TRUSTED_PROXIES",
        "BALISE_METRICS_TOKEN",
        "BALISE_AUTO_MIGRATE",
        "BALISE_SECRET_KEY",
    ):
        assert f"| `{name}` |" in guide


def test_the_guides_role_and_database_commands_work_as_written(postgres: Postgres):
    guide = GUIDE.read_text(encoding="utf-8")
    block = guide.split("<!-- tested: role-and-database -->", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [shlex.split(line) for line in block.strip().splitlines()]
    assert [c[:3] for c in commands] == [["sudo", "-u", "postgres"]] * 3
    name = "guide_balise"
    for words in commands:  # sudo -u postgres psql [-d DB] -c SQL, run as pgserver's superuser
        sql = words[words.index("-c") + 1].replace("balise", name)
        database = words[words.index("-d") + 1].replace("balise", name) if "-d" in words else "postgres"
        postgres.sql(sql, database=database)
    url = postgres.role_url(name, name)
    done = run_balise("migrate-db", env={"BALISE_DATABASE_URL": url})
    assert done.returncode == 0, done.stderr


def _commands() -> set[str]:
    import typer.main

    group = typer.main.get_command(app)
    return set(group.commands)  # type: ignore[attr-defined]


def test_units_and_compose_run_real_commands():
    known = _commands()
    for unit in (ROOT / "deploy" / "systemd").glob("*.service"):
        exec_start = re.search(r"^ExecStart=(.*)$", unit.read_text(), re.M)
        assert exec_start, unit.name
        words = shlex.split(exec_start.group(1).replace("/bin/sh -c ", ""))
        command = next(w for w in " ".join(words).split() if w in known)
        assert command in known, unit.name
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    for name in ("migrate", "serve", "worker"):
        words = re.findall(r"[\w-]+", " ".join(compose["services"][name]["command"]))
        assert any(word in known for word in words), name
    assert {"db", "caddy"} <= set(compose["services"])
    assert compose["services"]["serve"]["depends_on"] == {
        "migrate": {"condition": "service_completed_successfully"}
    }


def test_the_guide_says_the_secret_key_is_backed_up_with_the_database():
    guide = GUIDE.read_text(encoding="utf-8")
    assert "**`BALISE_SECRET_KEY` must be backed up with the database**" in guide
    assert Path(ROOT / "Containerfile").is_file()
