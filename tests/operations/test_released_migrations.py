"""Released migrations never change (their checksums are pinned), and a database that skipped some
of their tables is named by `balise migrate-db --check` and kept out of traffic by /readyz."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import text

from balise.db.schema_check import MIGRATIONS, RELEASED, edited_released_migrations, migration_checksums
from balise.web.app import create_app
from tests.operations.conftest import Deployment, balise_ok, run_balise

RELEASED_NAMES = {
    "0001_initial_schema.py",
    "0002_resumable_ingestion.py",
    "0003_citizen_assistant.py",
    "0004_governance.py",
}
# The tables 0004 creates: what a database upgraded through the chain before 0004 was re-parented lacks.
GOVERNANCE_TABLES = [
    "governance_complaint_events",
    "governance_roles",
    "governance_incidents",
    "governance_complaints",
    "governance_assessments",
    "governance_adoption_cases",
    "governance_systems",
]


def test_no_released_migration_was_edited() -> None:
    assert edited_released_migrations() == [], (
        "A released migration was edited: restore it and put the change in a new migration."
    )
    assert set(migration_checksums()) >= RELEASED_NAMES


def test_an_edit_a_rename_or_a_removal_is_caught(tmp_path: Path) -> None:
    versions = tmp_path / "versions"
    shutil.copytree(MIGRATIONS / "versions", versions)
    assert edited_released_migrations(versions) == []
    governance = versions / "0004_governance.py"
    governance.write_text(governance.read_text().replace('down_revision = "0001"', 'down_revision = "0003"'))
    (versions / "0002_resumable_ingestion.py").rename(versions / "0002_renamed.py")
    (versions / "0003_citizen_assistant.py").unlink()
    assert edited_released_migrations(versions, RELEASED) == [
        "0002_resumable_ingestion.py",
        "0003_citizen_assistant.py",
        "0004_governance.py",
    ]


def test_check_names_the_tables_and_columns_a_database_at_head_lacks(
    new_deployment: Callable[[], Deployment],
) -> None:
    deployment = new_deployment()
    balise_ok("migrate-db", env=deployment.env)
    matching = balise_ok("migrate-db", "--check", env=deployment.env)
    assert "correspond au schéma" in matching

    engine = deployment.engine()
    try:
        with engine.begin() as connection:
            for table in GOVERNANCE_TABLES:
                connection.execute(text(f"DROP TABLE {table}"))
            connection.execute(text("ALTER TABLE documents DROP COLUMN instruction_passages"))
        ready = TestClient(create_app(engine)).get("/readyz")
    finally:
        engine.dispose()
    assert ready.status_code == 503
    assert "governance_systems" in ready.json()["reason"] and "migrate-db --check" in ready.json()["reason"]

    for command in (["migrate-db", "--check"], ["migrate-db"]):  # migrating finds nothing to do, and says so
        found = run_balise(*command, env=deployment.env)
        output = " ".join(found.stdout.split())
        assert found.returncode == 1 and "Traceback" not in found.stderr
        assert "Tables manquantes : " + ", ".join(sorted(GOVERNANCE_TABLES)) in output
        assert "Colonnes manquantes : documents.instruction_passages" in output
        assert "ne correspond pas au schéma" in found.stderr
