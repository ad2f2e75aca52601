"""``balise ingest`` end to end, and the demo library."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import typer
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from balise.db import tenant_session
from balise.documents import Classification, Document, list_documents, load_demo_library, pending_jobs
from balise.documents.cli import ingest, load_demo
from balise.tenancy.models import Tenant
from tests.documents.samples import DEMO


@pytest.fixture
def cli(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> typer.Typer:
    monkeypatch.setattr("balise.documents.cli.default_engine", lambda: engine)
    app = typer.Typer()
    app.command()(ingest)
    app.command("noop")(lambda: None)  # two commands, so Typer keeps the command name
    return app


def test_ingest_walks_folders_and_reports_every_file(
    cli: typer.Typer, engine: Engine, make_tenant: Callable[..., Tenant], tmp_path: Path
) -> None:
    tenant = make_tenant()
    (tmp_path / "sous-dossier").mkdir()
    (tmp_path / "sous-dossier" / "horaires.txt").write_text(
        "L'hôtel de ville ouvre à 8 h 30.", encoding="utf-8"
    )
    (tmp_path / "vide.md").write_bytes(b"")
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "ignore.txt").write_text("caché", encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        [
            "ingest",
            str(tmp_path),
            str(DEMO / "reglement-2025-03-permis-renovation.pdf"),
            "--tenant",
            tenant.slug,
            "--classification",
            "public",
            "--service",
            "Greffe",
            "--no-embed",
        ],
    )
    assert result.exit_code == 1, result.output  # one file failed
    assert (
        "horaires.txt" in result.output and "vide.md" in result.output and "vide (0 octet)" in result.output
    )
    with tenant_session(tenant.id, engine) as session:
        documents = {Path(d.source).name: d for d in list_documents(session, tenant.id)}
    assert set(documents) == {"horaires.txt", "vide.md", "reglement-2025-03-permis-renovation.pdf"}
    assert documents["horaires.txt"].status == "ready"
    assert documents["horaires.txt"].owner_service == "Greffe"
    assert documents["reglement-2025-03-permis-renovation.pdf"].pages == 3


def test_ingest_refuses_an_unknown_tenant_or_classification(
    cli: typer.Typer, make_tenant: Callable[..., Tenant]
) -> None:
    runner = CliRunner()
    unknown = runner.invoke(cli, ["ingest", str(DEMO / "faq-citoyens.md"), "--tenant", "nulle-part"])
    assert unknown.exit_code == 2 and "nulle-part" in unknown.output
    wrong = runner.invoke(
        cli,
        [
            "ingest",
            str(DEMO / "faq-citoyens.md"),
            "--tenant",
            make_tenant().slug,
            "--classification",
            "secret",
        ],
    )
    assert wrong.exit_code == 2 and "secret" in wrong.output


def test_the_demo_library_loads_every_format_and_classification_once(
    engine: Engine, make_tenant: Callable[..., Tenant]
) -> None:
    tenant = make_tenant(name="Ville de Saint-Balise")
    load_demo(engine, tenant.id, embed=False)
    with tenant_session(tenant.id, engine) as session:
        ready = list_documents(session, tenant.id)
        again = load_demo_library(session, tenant.id, embed=False)
        session.commit()
        assert not pending_jobs(session, [d.id for d in again])  # idempotent
        copyrighted = session.scalars(select(Document.source).where(Document.third_party_copyright)).all()
    assert len(ready) == 10 and {d.status for d in ready} == {"ready"}
    assert {d.classification for d in ready} == {c.value for c in Classification}
    assert {Path(d.source).suffix for d in ready} == {".md", ".docx", ".odt", ".pdf", ".html", ".txt", ".eml"}
    assert copyrighted == ["demo/guide-compostage-extrait.pdf"]
    assert {d.id for d in again} == {d.id for d in ready}


def test_the_demo_library_is_searchable_by_words_at_once_and_leaves_its_vectors_to_the_worker(
    engine: Engine, make_tenant: Callable[..., Tenant]
) -> None:
    """`balise demo` used to embed the whole library before returning (about 41 s)."""
    from sqlalchemy import delete

    from balise.jobs import Job
    from balise.search import vector_counts

    tenant = make_tenant(name="Ville de Saint-Balise")
    waiting = load_demo(engine, tenant.id)
    with tenant_session(tenant.id, engine) as session:
        documents = list_documents(session, tenant.id)
        ids = [d.id for d in documents]
        assert {d.status for d in documents} == {"ready"}
        assert waiting == len(pending_jobs(session, ids)) == len(documents)
        assert sum(vector_counts(session, ids).values()) == 0
        session.execute(delete(Job).where(Job.tenant_id == tenant.id))  # leave the queue to other tests
        session.commit()
