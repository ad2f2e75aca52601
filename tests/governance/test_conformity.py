"""The conformity view: every requirement ID, a status each, evidence from the platform, the CLI
contract of DESIGN.md, and the Word report."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import select

from balise.audit import record
from balise.governance import IDS, REQUIREMENTS, AISystem, add_role, save_assessment
from balise.governance.report import conformity_docx
from balise.governance.service import conformity_rows
from balise.i18n import use_locale
from balise.tenancy import Tenant, create_user

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "REQUIREMENTS.md"


def test_the_table_matches_requirements_md() -> None:
    """The product carries its own copy; this fails when REQUIREMENTS.md changed without a rebuild."""
    if not SHARED.exists():
        pytest.skip("REQUIREMENTS.md is not next to this checkout")
    sys.path.insert(0, str(ROOT / "scripts"))
    from requirements_table import parse

    assert tuple(parse(SHARED.read_text(encoding="utf-8"))) == REQUIREMENTS
    assert len(IDS) == len(set(IDS)) == 52


def test_every_requirement_gets_a_status_a_control_and_live_evidence(make_tenant, scoped) -> None:
    tenant = make_tenant()
    with scoped(tenant.id) as session, use_locale("fr"):
        municipality = session.get(Tenant, tenant.id)
        before = {row.id: row for row in conformity_rows(session, municipality)}
        assert list(before) == list(IDS)
        assert {row.status for row in before.values()} <= {"in_place", "attention", "missing"}
        assert all(row.control and row.evidence for row in before.values())
        assert before["U8"].status == "missing" and before["G2"].status == "missing"
        assert before["G4"].status == "attention"  # nobody named yet
        record(
            session,
            "assistant.ask",
            actor="x",
            tenant_id=tenant.id,
            details={"masked": {"PERSON": 2, "EMAIL": 1}},
        )
        record(session, "guard.unavailable", actor="x", tenant_id=tenant.id, details={"task": "ask"})
        officer = create_user(
            session, municipality, "po@example.org", "correct-horse-battery", "privacy_officer"
        )
        for system in session.scalars(select(AISystem)):
            add_role(session, system, role="responsible", person="DG", actor="cli")
            add_role(session, system, role="privacy_officer", person="PRP", user_id=officer.id, actor="cli")
        after = {row.id: row for row in conformity_rows(session, municipality)}
        assert "PERSON: 2" in after["D3"].evidence and "EMAIL: 1" in after["D3"].evidence
        assert "échec fermé : 1" in after["D3"].evidence and after["D3"].status == "attention"
        assert after["G4"].status == "in_place"
        assert after["P3"].status == "in_place" and "7 fiches du registre publiées" in after["P3"].evidence
        assert after["G1"].status == "attention"  # no assessment yet
        session.commit()


def test_assessing_every_system_in_use_puts_g1_in_place(make_tenant, scoped) -> None:
    from tests.governance.test_assessment import _answers

    tenant = make_tenant()
    with scoped(tenant.id) as session:
        municipality = session.get(Tenant, tenant.id)
        conformity_rows(session, municipality)
        for system in session.scalars(select(AISystem)):
            save_assessment(session, system, _answers("min", "yes"), set(), actor="cli")
        rows = {row.id: row for row in conformity_rows(session, municipality)}
        assert rows["G1"].status == "in_place" and rows["P1"].status == "in_place"
        report = Document(io.BytesIO(conformity_docx(municipality, list(rows.values()))))
        cells = [row.cells[0].text for row in report.tables[0].rows]
        assert len(cells) == len(IDS) + 1 and cells[1].startswith("U1 — ")
        session.commit()


def test_the_cli_prints_the_contract_of_design_md(tmp_path: Path) -> None:
    env = {**os.environ, "BALISE_DATA_DIR": str(tmp_path)}
    env.pop("BALISE_DATABASE_URL", None)
    command = [sys.executable, "-m", "balise.cli"]
    subprocess.run(
        [*command, "admin", "create-tenant", "ville", "--name", "Ville"],
        env=env,
        check=True,
        capture_output=True,
    )
    done = subprocess.run(
        [*command, "conformity", "--tenant", "ville", "--json"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    data = json.loads(done.stdout)
    assert list(data) == ["requirements"]
    assert [item["id"] for item in data["requirements"]] == list(IDS)
    for item in data["requirements"]:
        assert set(item) == {"id", "status", "control", "evidence"}
        assert item["status"] in {"in_place", "attention", "missing"}
    unknown = subprocess.run(
        [*command, "conformity", "--tenant", "nulle-part", "--json"], env=env, capture_output=True, text=True
    )
    assert unknown.returncode == 2 and "nulle-part" in unknown.stderr
