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
from balise.governance.adoption import save_case
from balise.governance.register import BALISE_TASKS
from balise.governance.report import conformity_docx
from balise.governance.requirements_text import FRENCH, FRENCH_SECTIONS, emphasis, requirement_text
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
    from requirements_table import COPY_NOTE, DOCS_COPY, parse

    assert tuple(parse(SHARED.read_text(encoding="utf-8"))) == REQUIREMENTS
    assert DOCS_COPY.read_text(encoding="utf-8") == COPY_NOTE + SHARED.read_text(encoding="utf-8")
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
        assert (
            after["P3"].status == "in_place"
            and f"{len(BALISE_TASKS)} fiches du registre publiées" in after["P3"].evidence
        )
        assert after["G1"].status == "attention"  # no assessment yet
        session.commit()


def test_assessing_every_system_in_use_puts_g1_in_place(make_tenant, scoped) -> None:
    from tests.governance.adoption_data import CASE
    from tests.governance.test_assessment import _answers

    tenant = make_tenant()
    with scoped(tenant.id) as session:
        municipality = session.get(Tenant, tenant.id)
        conformity_rows(session, municipality)
        for system in session.scalars(select(AISystem)):
            save_assessment(session, system, _answers("min", "yes"), set(), actor="cli")
        rows = {row.id: row for row in conformity_rows(session, municipality)}
        assert (
            rows["G1"].status == "attention" and "0 avec un dossier d’adoption complet" in rows["G1"].evidence
        )
        for system in session.scalars(select(AISystem)):
            save_case(session, system, CASE, actor="cli")
        rows = {row.id: row for row in conformity_rows(session, municipality)}
        assert rows["G1"].status == "in_place" and rows["P1"].status == "in_place"
        assert rows["P8"].status == "in_place" and rows["G3"].status == "attention"  # no supplier assessed
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


def test_every_requirement_has_its_french_text() -> None:
    assert set(FRENCH) == set(IDS)
    assert {section for _rid, section, _text in REQUIREMENTS} == set(FRENCH_SECTIONS)
    for rid, _section, english in REQUIREMENTS:
        assert FRENCH[rid] != english and FRENCH[rid].count("*") == english.count("*"), rid
    assert requirement_text("U5", "fr").text.startswith("Révision de l'orthographe")
    assert requirement_text("U5", "en").section == "Uses the product must serve"
    with use_locale("fr"):
        assert requirement_text("X1").section == "Usages déconseillés ou nuisibles"


def test_emphasis_reads_the_requirements_markdown() -> None:
    assert emphasis("en *langage clair* et **gras** ici") == [
        ("en ", False, False),
        ("langage clair", False, True),
        (" et ", False, False),
        ("gras", True, False),
        (" ici", False, False),
    ]
    assert emphasis("2 * 3 = 6") == [("2 * 3 = 6", False, False)]


def test_the_word_report_is_french_with_formatting_instead_of_asterisks(make_tenant, scoped) -> None:
    tenant = make_tenant()
    with scoped(tenant.id) as session, use_locale("fr"):
        municipality = session.get(Tenant, tenant.id)
        rows = conformity_rows(session, municipality)
        report = Document(io.BytesIO(conformity_docx(municipality, rows)))
        session.commit()
    cells = {row.cells[0].text.split(" — ")[0]: row.cells[0] for row in report.tables[0].rows[1:]}
    assert cells["U1"].text.startswith("U1 — Agent conversationnel")
    u5 = cells["U5"]
    assert "*" not in u5.text and "langage clair" in u5.text
    assert [run.text for run in u5.paragraphs[0].runs if run.italic] == ["langage clair"]


def _evidence(session, municipality, rid: str) -> str:
    return next(row.evidence for row in conformity_rows(session, municipality) if row.id == rid)


def test_a_draft_counts_only_for_the_requirement_its_template_serves(make_tenant, scoped) -> None:
    """An e-mail draft is neither a job posting (U3) nor a title (U6); the counts agree in number."""
    tenant = make_tenant()
    with scoped(tenant.id) as session, use_locale("fr"):
        municipality = session.get(Tenant, tenant.id)
        record(session, "assistant.draft", actor="x", tenant_id=tenant.id, details={"template": "email"})
        record(session, "assistant.template_saved", actor="x", tenant_id=tenant.id)
        assert _evidence(session, municipality, "U2").startswith("1 utilisation dans")
        assert _evidence(session, municipality, "U3").startswith("0 utilisation dans")
        assert _evidence(session, municipality, "U6").startswith("0 utilisation dans")
        for template in ("job_posting", "job_posting", "titles"):
            record(session, "assistant.draft", actor="x", tenant_id=tenant.id, details={"template": template})
        assert _evidence(session, municipality, "U2").startswith("1 utilisation dans")
        assert _evidence(session, municipality, "U3").startswith("2 utilisations dans")
        assert _evidence(session, municipality, "U6").startswith("1 utilisation dans")
        officer = create_user(
            session, municipality, "po@example.org", "correct-horse-battery", "privacy_officer"
        )
        assert officer and "1 responsable de la protection a un compte" in _evidence(
            session, municipality, "G4"
        )
        assert "1 responsable de la protection des renseignements personnels;" in _evidence(
            session, municipality, "L1"
        )
        with use_locale("en"):
            assert _evidence(session, municipality, "U3").startswith("2 uses in")
            assert _evidence(session, municipality, "U6").startswith("1 use in")
        session.commit()


def test_p5_and_p7_read_the_latest_bias_probes(make_tenant, scoped) -> None:
    """None run: missing; an example never counts; a recent run with no gap: in place; a gap flagged:
    attention with its figures; only old runs: attention."""
    from datetime import timedelta

    from balise.db import utcnow
    from balise.evaluation.bias import BiasRun
    from balise.evaluation.bias.example import scripted_answer
    from balise.evaluation.bias.probes import counterfactual, titles_of_templates

    def run(probe: str, figures: dict, *, example: bool = False, days: int = 0) -> BiasRun:
        stored = BiasRun(
            tenant_id=tenant.id,
            probe=probe,
            figures=figures,
            flagged=figures["flagged"],
            example=example,
            created_at=utcnow() - timedelta(days=days),
        )
        session.add(stored)
        session.flush()
        return stored

    def rows() -> dict:
        return {row.id: row for row in conformity_rows(session, municipality)}

    gap = counterfactual(scripted_answer, 6)
    assert gap["flagged"]
    tenant = make_tenant()
    with scoped(tenant.id) as session, use_locale("fr"):
        municipality = session.get(Tenant, tenant.id)
        assert rows()["P5"].status == rows()["P7"].status == "missing"
        run("counterfactual", gap, example=True)
        assert rows()["P5"].status == "missing" and "pas encore évalués" in rows()["G7"].evidence
        old = run("titles", titles_of_templates([]), days=120)
        assert rows()["P5"].status == "attention" and "plus de 90 jours" in rows()["P5"].evidence
        session.delete(old)
        run("titles", {**titles_of_templates([]), "texts": 5})
        now = rows()
        assert now["P5"].status == now["P7"].status == "in_place"
        assert (
            "Aucun écart signalé" in now["P5"].evidence
            and "0 sur 5 modèles de rédaction" in now["P5"].evidence
        )
        assert "n’est pas consigné" in now["P7"].evidence and "sondes de biais" in now["G7"].evidence
        run("counterfactual", gap)
        flagged = rows()
        assert flagged["P5"].status == flagged["P7"].status == "attention"
        assert "Femmes et hommes — Longueur (mots)" in flagged["P5"].evidence
        session.commit()
