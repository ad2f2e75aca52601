"""One version, in one place (balise.__version__): the package metadata, ``balise --version``, the
footer of every page, /readyz and the changelog all name it."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from fastapi.testclient import TestClient

import balise
from balise.web.app import create_app
from tests.operations.conftest import balise_ok

ROOT = Path(__file__).resolve().parents[2]


def test_the_version_is_written_in_one_place() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", balise.__version__)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "balise.__version__"}


def test_balise_version_prints_it() -> None:
    assert balise_ok("--version", env={}).strip() == f"Balise {balise.__version__}"


def test_every_page_shows_it_in_its_footer(engine) -> None:
    page = TestClient(create_app(engine)).get("/connexion")
    footer = page.text.split('<footer class="site-footer">')[1]
    assert f"Balise version {balise.__version__}" in footer


def test_the_changelog_has_an_entry_with_upgrade_notes_for_it() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text()
    entries = re.split(r"^## ", changelog, flags=re.M)[1:]
    assert entries and entries[0].startswith(f"[{balise.__version__}]")
    assert "### Upgrade" in entries[0]
