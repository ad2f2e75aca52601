"""A pack between two deployments (G16): two separate servers, each with its own data directory and
database, the pack written by ``balise pack export`` on the first and read by ``balise pack import``
on the second, which lists what arrived. Each command runs as its own process, as an operator runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import balise
from balise.db import make_engine, open_session, tenant_session
from balise.governance.register import save_system
from balise.governance.vendors import list_vendors, save_vendor
from balise.memento import current, generate, versions
from balise.tenancy import Tenant

SRC = str(Path(balise.__file__).parent.parent)


def _balise(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``balise …`` on the deployment whose data directory is ``data_dir`` (its own SQLite database)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BALISE_")}
    env.update(BALISE_DATA_DIR=str(data_dir), PYTHONPATH=SRC, COLUMNS="200")
    return subprocess.run(
        [sys.executable, "-c", "from balise.cli import app; app()", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def _deployment(root: Path, slug: str, name: str) -> tuple[Path, str]:
    data_dir = root / slug
    done = _balise(data_dir, "admin", "create-tenant", slug, "--name", name)
    assert done.returncode == 0, done.stderr
    return data_dir, f"sqlite:///{data_dir / 'balise.db'}"


def _tenant(url: str, slug: str) -> Tenant:
    engine = make_engine(url)
    with open_session(engine) as session:
        found = session.query(Tenant).filter_by(slug=slug).one()
        session.expunge(found)
    engine.dispose()
    return found


def test_a_pack_exported_by_one_deployment_is_imported_by_another(tmp_path: Path) -> None:
    first_dir, first_url = _deployment(tmp_path, "ville-a", "Ville A")
    second_dir, second_url = _deployment(tmp_path, "ville-b", "Ville B")
    assert first_url != second_url
    town = _tenant(first_url, "ville-a")
    engine = make_engine(first_url)
    with tenant_session(town.id, engine) as session:
        save_vendor(session, town.id, {"name": "Fournisseur mutualisé", "score_exit": "3"}, actor="u1")
        save_system(
            session, town.id, {"name": "Tri du courrier", "purpose": "Orienter le courrier."}, actor="u1"
        )
        generate(session, session.merge(town), actor="u1")
        session.commit()
    engine.dispose()

    pack = tmp_path / "paquet.zip"
    done = _balise(
        first_dir, "pack", "export", "--tenant", "ville-a", "--kind", "vendor", "--kind", "memento",
        "--kind", "register_entry", "-o", str(pack),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "3 éléments écrits" in done.stdout and pack.read_bytes().startswith(b"PK")

    done = _balise(second_dir, "pack", "import", "--tenant", "ville-b", str(pack))
    assert done.returncode == 0, done.stderr
    assert "Ce qui est arrivé" in done.stdout and done.stdout.count("Ajouté à cette municipalité") == 3
    assert "Fournisseur mutualisé" in done.stdout and "Tri du courrier" in done.stdout
    town_b = _tenant(second_url, "ville-b")
    engine = make_engine(second_url)
    with tenant_session(town_b.id, engine) as session:
        assert [v.name for v in list_vendors(session)] == ["Fournisseur mutualisé"]
        assert len(versions(session)) == 1 and current(session) is None
    engine.dispose()

    again = _balise(second_dir, "pack", "import", "--tenant", "ville-b", str(pack))
    assert again.returncode == 0 and again.stdout.count("Déjà présent") == 3
    spoiled = tmp_path / "abime.zip"
    spoiled.write_bytes(pack.read_bytes()[:200])
    refused = _balise(second_dir, "pack", "import", "--tenant", "ville-b", str(spoiled))
    assert refused.returncode == 2 and "rien n’a été importé" in refused.stderr
    unknown = _balise(first_dir, "pack", "export", "--tenant", "ville-a", "--kind", "x", "-o", str(pack))
    assert unknown.returncode == 2 and "Type « x » inconnu" in unknown.stderr
