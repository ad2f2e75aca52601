"""Import speed: a municipality exported with its passage vectors, imported into a new deployment.

Ingests Montpellier council deliberations (../shared/data, read at run time) into the demo
municipality until ``--pages`` PDF pages are reached, exports it (``balise export``), then imports the
archive twice into fresh SQLite deployments and times ``balise import``:

* **as shipped**: the archive carries the vectors and the embedding model's name, version and
  dimension; the importing deployment has the same model, so they are reused;
* **baseline**: the same archive without its vectors (what every import did before): each passage's
  vector is computed again.

Both imports are checked: same number of passages and vectors, and a search by meaning finds the same
first passage.

    .venv/bin/python bench/portability.py [--pages 100]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).parent))
from loopback import BALISE, DATA

PDFS = DATA / "corpus" / "montpellier" / "pdf"


def balise(data_dir: Path, *args: str) -> float:
    """Runs ``balise`` on the deployment ``data_dir``; returns the seconds it took."""
    env = {**os.environ, "BALISE_DATA_DIR": str(data_dir)}
    for name in ("BALISE_DATABASE_URL", "BALISE_INLINE_JOBS"):
        env.pop(name, None)
    started = time.monotonic()
    done = subprocess.run([*BALISE, *args], env=env, cwd=data_dir.parent, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"balise {' '.join(args)}: {done.stderr[-1500:]}")
    return time.monotonic() - started


def counts(data_dir: Path) -> dict[str, int]:
    with sqlite3.connect(data_dir / "balise.db") as db:
        return {
            "documents": db.execute("SELECT count(*) FROM documents").fetchone()[0],
            "passages": db.execute("SELECT count(*) FROM chunks").fetchone()[0],
            "vectors": db.execute(
                "SELECT count(*) FROM search_entries WHERE embedding IS NOT NULL"
            ).fetchone()[0],
        }


def without_vectors(archive: Path, target: Path) -> Path:
    """A copy of the export with the vectors left out, as exports were before they carried them (the
    manifest no longer lists them: an export whose listed files are missing is refused as damaged)."""
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        manifest = json.loads(source.read("manifest.json"))
        manifest.pop("embedding", None)
        manifest["files"] = {name: digest for name, digest in manifest["files"].items() if not _vector(name)}
        for item in source.infolist():
            if item.filename == "manifest.json":
                copy.writestr(item, json.dumps(manifest, indent=2, ensure_ascii=False))
            elif not _vector(item.filename):
                copy.writestr(item, source.read(item.filename))
    return target


def _vector(name: str) -> bool:
    return name.startswith("search/vector")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="balise-import-"))
    try:
        chosen, pages = work / "pdf", 0
        chosen.mkdir()
        for pdf in sorted(PDFS.glob("*.pdf")):
            if pages >= args.pages:
                break
            pages += len(PdfReader(pdf).pages)
            (chosen / pdf.name).symlink_to(pdf)
        source = work / "source"
        source.mkdir()
        balise(source, "migrate-db")
        balise(source, "demo")
        ingest_s = balise(source, "ingest", str(chosen), "--tenant", "demo", "--classification", "internal")
        archive = work / "demo.zip"
        balise(source, "export", "--tenant", "demo", "--output", str(archive))
        result: dict[str, object] = {
            "pdf_pages": pages,
            "pdfs": len(list(chosen.iterdir())),
            "source": counts(source),
            "ingest_s": round(ingest_s, 1),
            "load_before": round(os.getloadavg()[0], 2),
        }
        for name, zip_path in (
            ("reused", archive),
            ("baseline_recomputed", without_vectors(archive, work / "b.zip")),
        ):
            target = work / name
            target.mkdir()
            balise(target, "migrate-db")
            seconds = balise(target, "import", str(zip_path))
            result[name] = {"import_s": round(seconds, 1), **counts(target)}
        result["load_after"] = round(os.getloadavg()[0], 2)
        print(json.dumps(result, ensure_ascii=False, indent=1))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
