"""Backups and tenant exports, round trip, as an administrator runs them (commands in processes of
their own) on the suite's engine: SQLite by default, PostgreSQL with ``--db postgresql``."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import tarfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text

from balise.config import get_settings
from balise.db import open_session
from balise.documents.models import Document, DocumentFile
from balise.gateway.registry import api_key_of
from balise.gateway.tables import ModelBackend
from balise.operations.portability import EXCLUDED, tenant_tables
from tests.operations.conftest import Deployment, balise_ok, run_balise

DEMO_LIBRARY = Path(__file__).resolve().parents[2] / "src/balise/documents/demo_library"
ORIGINALS = [DEMO_LIBRARY / "reglement-2025-03-permis-renovation.pdf", DEMO_LIBRARY / "faq-citoyens.md"]
QUESTION = "Quels travaux demandent un permis de rénovation ?"


def _populate(deployment: Deployment, slug: str) -> None:
    env = deployment.env
    balise_ok("migrate-db", env=env)
    balise_ok("admin", "create-tenant", slug, "--name", f"Ville {slug}", env=env)
    balise_ok(
        "admin", "create-user", f"greffe@{slug}.example", "--tenant", slug, "--role", "admin",
        "--password-stdin", env=env, input="mot-de-passe-du-greffe\n",
    )  # fmt: skip
    balise_ok("ingest", *map(str, ORIGINALS), "--tenant", slug, env=env)
    balise_ok(
        "models", "add", "gpu-local", "--tenant", slug, "--endpoint", "http://gpu.local:8000/v1",
        "--model", "mistral-small", "--hosting", "on_premises", "--api-key",
        env=env, input="cle-api-secrete\n",
    )  # fmt: skip


def _table_counts(deployment: Deployment) -> dict[str, int]:
    engine = deployment.engine()
    try:
        with engine.connect() as connection:
            names = [t.name for t in tenant_tables()] + ["tenants", "users", "audit_entries"]
            return {
                name: connection.execute(text(f"SELECT count(*) FROM {name}")).scalar_one() for name in names
            }
    finally:
        engine.dispose()


def _stored_key(deployment: Deployment) -> str:
    """The model API key as the deployment decrypts it, with its own settings."""
    engine = deployment.engine()
    previous = get_settings().data_dir
    import os

    os.environ["BALISE_DATA_DIR"] = str(deployment.data_dir)
    get_settings.cache_clear()
    try:
        with open_session(engine) as session:
            backend = session.scalars(select(ModelBackend)).one()
            return api_key_of(backend)
    finally:
        os.environ["BALISE_DATA_DIR"] = str(previous)
        get_settings.cache_clear()
        engine.dispose()


def _answer(deployment: Deployment, slug: str) -> dict[str, Any]:
    answer: dict[str, Any] = json.loads(
        balise_ok("ask", QUESTION, "--tenant", slug, "--json", env=deployment.env)
    )
    return answer


def test_backup_then_restore_gives_back_the_same_deployment(
    new_deployment: Callable[[], Deployment], tmp_path
):
    source = new_deployment()
    _populate(source, "source")
    answer = _answer(source, "source")
    assert answer["citations"], answer
    before = _table_counts(source)

    archive = tmp_path / "sauvegarde.tar.gz"
    balise_ok("backup", "--output", str(archive), env=source.env)
    with tarfile.open(archive) as packed:
        names = packed.getnames()
        manifest = json.load(packed.extractfile("manifest.json"))  # type: ignore[arg-type]
    assert "secret.key" in names and set(manifest["files"]) <= set(names)
    assert oct(archive.stat().st_mode & 0o777) == "0o600"

    target = new_deployment()
    balise_ok("restore", str(archive), env=target.env)
    assert _table_counts(target) == before
    assert _stored_key(target) == "cle-api-secrete"  # the secret key came back with the database
    assert _answer(target, "source")["citations"] == answer["citations"]
    assert "intact" in balise_ok("audit", "verify", env=target.env)
    # A second restore over a database that is no longer empty is refused, in French.
    again = run_balise("restore", str(archive), env=target.env)
    assert again.returncode != 0 and "n’est pas vide" in again.stderr and "Traceback" not in again.stderr


def test_restore_refuses_a_different_secret_key(new_deployment: Callable[[], Deployment], tmp_path):
    source = new_deployment()
    balise_ok("migrate-db", env=source.env)
    archive = tmp_path / "sauvegarde.tar.gz"
    balise_ok("backup", "--output", str(archive), env=source.env)
    target = new_deployment()
    other = "une-autre-cle-bien-assez-longue-pour-balise"
    refused = run_balise("restore", str(archive), env={**target.env, "BALISE_SECRET_KEY": other})
    assert refused.returncode != 0 and "BALISE_SECRET_KEY" in refused.stderr


def test_export_then_import_into_another_deployment(new_deployment: Callable[[], Deployment], tmp_path):
    source = new_deployment()
    _populate(source, "exportee")
    answer = _answer(source, "exportee")
    archive = tmp_path / "exportee.zip"
    balise_ok("export", "--tenant", "exportee", "--output", str(archive), env=source.env)

    with zipfile.ZipFile(archive) as packed:
        manifest = json.loads(packed.read("manifest.json"))
        names = set(packed.namelist())
        # The originals, byte for byte, under their own names.
        originals = {Path(n).name: packed.read(n) for n in names if n.startswith("files/document_files/")}
        documents = list(csv.DictReader(io.StringIO(packed.read("tables/documents.csv").decode())))
        audit_lines = packed.read("audit.jsonl").decode().splitlines()
        backends = [
            json.loads(line) for line in packed.read("tables/model_backends.jsonl").decode().splitlines()
        ]
    assert originals == {path.name: path.read_bytes() for path in ORIGINALS}
    assert {d["title"] for d in documents} and len(documents) == len(ORIGINALS)
    assert audit_lines and manifest["audit_entries"] == len(audit_lines)
    assert backends[0]["api_key_encrypted"] == ""  # encrypted with the source's key: not carried
    # Generic over tenant-scoped tables: every one is either exported or excluded with a reason.
    for table in tenant_tables():
        assert table.name in EXCLUDED or f"tables/{table.name}.jsonl" in names, table.name
    for name, digest in manifest["files"].items():
        with zipfile.ZipFile(archive) as packed:
            assert hashlib.sha256(packed.read(name)).hexdigest() == digest

    target = new_deployment()
    balise_ok("migrate-db", env=target.env)
    balise_ok("admin", "create-tenant", "autre", "--name", "Une autre ville", env=target.env)
    balise_ok("import", str(archive), env=target.env)
    # The round trip: exporting the imported municipality at once gives back the same tables.
    again = tmp_path / "encore.zip"
    balise_ok("export", "--tenant", "exportee", "--output", str(again), env=target.env)
    with zipfile.ZipFile(again) as first_again, zipfile.ZipFile(archive) as first:
        for table in tenant_tables():
            name = f"tables/{table.name}.jsonl"
            if name in first.namelist():
                assert first_again.read(name) == first.read(name), table.name
        assert first_again.read("users.jsonl") == first.read("users.jsonl")
    imported = _answer(target, "exportee")
    assert [(c["title"], c["page"], c["quote"]) for c in imported["citations"]] == [
        (c["title"], c["page"], c["quote"]) for c in answer["citations"]
    ]
    engine = target.engine()
    with open_session(engine) as session:
        files = {f.filename: f.data for f in session.scalars(select(DocumentFile))}
        assert session.scalar(select(func.count()).select_from(Document)) == len(ORIGINALS)
    engine.dispose()
    assert files == {path.name: path.read_bytes() for path in ORIGINALS}
    assert "intact" in balise_ok("audit", "verify", env=target.env)
    # People keep their accounts; importing twice is refused.
    second = run_balise("import", str(archive), env=target.env)
    assert second.returncode != 0 and "déjà été importée" in second.stderr
