"""Backups are unpacked safely on every Python Balise supports, Debian 12's 3.11.2 included (no
``filter=`` keyword there): the helper is run under the project's Python and, in a process of its
own, under the system's /usr/bin/python3 (it imports nothing but the standard library)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest

from balise.operations.safetar import UnsafeArchiveError, safe_extract
from tests.operations.conftest import Deployment, balise_ok, run_balise

MODULE = Path(__file__).resolve().parents[2] / "src/balise/operations/safetar.py"
SYSTEM_PYTHON = Path("/usr/bin/python3")


def _member(name: str, kind: bytes = tarfile.REGTYPE, data: bytes = b"x", link: str = "") -> tuple:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = link
    info.size = len(data) if kind == tarfile.REGTYPE else 0
    return info, data if kind == tarfile.REGTYPE else None


MALICIOUS: dict[str, list[tuple]] = {
    "traversal": [_member("manifest.json"), _member("../evil.txt", data=b"pwned")],
    "nested-traversal": [_member("data/../../evil.txt", data=b"pwned")],
    "absolute": [_member("/tmp/balise-evil-absolute.txt", data=b"pwned")],
    "symlink": [_member("data/link", tarfile.SYMTYPE, link="../../evil.txt")],
    "symlink-then-write": [
        _member("data", tarfile.SYMTYPE, link="/tmp"),
        _member("data/balise-evil-through-link.txt", data=b"pwned"),
    ],
    "hardlink": [_member("data/hard", tarfile.LNKTYPE, link="/etc/passwd")],
    "device": [_member("data/null", tarfile.CHRTYPE)],
    "fifo": [_member("data/fifo", tarfile.FIFOTYPE)],
}


def _write(path: Path, members: list[tuple]) -> Path:
    with tarfile.open(path, "w:gz") as archive:
        for info, data in members:
            archive.addfile(info, io.BytesIO(data) if data is not None else None)
    return path


def _good(path: Path) -> Path:
    return _write(path, [_member("manifest.json", data=b"{}"), _member("data/docs/a.txt", data=b"bonjour")])


@pytest.mark.parametrize("case", sorted(MALICIOUS))
def test_malicious_archives_are_refused_and_write_nothing(case: str, tmp_path: Path) -> None:
    archive_path = _write(tmp_path / f"{case}.tar.gz", MALICIOUS[case])
    target = tmp_path / "work" / "inner"
    target.mkdir(parents=True)
    with tarfile.open(archive_path) as archive, pytest.raises(UnsafeArchiveError):
        safe_extract(archive, target)
    assert list(target.iterdir()) == []
    assert not (tmp_path / "work" / "evil.txt").exists() and not (tmp_path / "evil.txt").exists()


def test_plain_archive_is_extracted_owner_only(tmp_path: Path) -> None:
    with tarfile.open(_good(tmp_path / "good.tar.gz")) as archive:
        names = safe_extract(archive, tmp_path / "out")
    extracted = tmp_path / "out" / "data" / "docs" / "a.txt"
    assert names == ["manifest.json", "data/docs/a.txt"]
    assert extracted.read_bytes() == b"bonjour"
    assert oct(extracted.stat().st_mode & 0o777) == "0o600"


SYSTEM_SCRIPT = """
import importlib.util, json, sys, tarfile
from pathlib import Path
spec = importlib.util.spec_from_file_location("safetar", sys.argv[1])
safetar = importlib.util.module_from_spec(spec)
spec.loader.exec_module(safetar)
results = {"version": list(sys.version_info[:3]), "has_filter": hasattr(tarfile, "data_filter")}
for path in sys.argv[3:]:
    target = Path(sys.argv[2]) / Path(path).name
    target.mkdir()
    try:
        with tarfile.open(path) as archive:
            results[Path(path).name] = safetar.safe_extract(archive, target)
    except safetar.UnsafeArchiveError:
        results[Path(path).name] = "refused"
print(json.dumps(results))
"""


def _system_python_differs() -> bool:
    if not SYSTEM_PYTHON.is_file():
        return False
    found = subprocess.run([str(SYSTEM_PYTHON), "-c", "import sys; print(sys.version_info[:3])"],
                           capture_output=True, text=True, check=False)  # fmt: skip
    return found.returncode == 0 and found.stdout.strip() != str(tuple(sys.version_info[:3]))


@pytest.mark.skipif(not _system_python_differs(), reason="no /usr/bin/python3 of another version")
def test_the_system_python_extracts_a_real_backup_and_refuses_malicious_ones(
    new_deployment: Callable[[], Deployment], tmp_path: Path
) -> None:
    source = new_deployment()
    balise_ok("migrate-db", env=source.env)
    (source.data_dir / "documents").mkdir(parents=True, exist_ok=True)
    (source.data_dir / "documents" / "note.txt").write_text("Procès-verbal du conseil")
    backup = tmp_path / "sauvegarde.tar.gz"
    balise_ok("backup", "--output", str(backup), env=source.env)
    archives = [backup, _good(tmp_path / "good.tar.gz")]
    archives += [_write(tmp_path / f"{case}.tar.gz", members) for case, members in MALICIOUS.items()]
    out = tmp_path / "out"
    out.mkdir()
    done = subprocess.run(
        [str(SYSTEM_PYTHON), "-I", "-c", SYSTEM_SCRIPT, str(MODULE), str(out), *map(str, archives)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    assert results.pop("version") != list(sys.version_info[:3])
    results.pop("has_filter")
    assert "data/documents/note.txt" in results.pop("sauvegarde.tar.gz")
    assert (out / "sauvegarde.tar.gz" / "data/documents/note.txt").read_text() == "Procès-verbal du conseil"
    manifest = json.loads((out / "sauvegarde.tar.gz" / "manifest.json").read_text())
    assert manifest["format"] == "balise-backup" and "secret.key" in manifest["files"]
    assert results.pop("good.tar.gz") == ["manifest.json", "data/docs/a.txt"]
    assert results == {f"{case}.tar.gz": "refused" for case in MALICIOUS}
    assert not (out / "evil.txt").exists() and not (tmp_path / "evil.txt").exists()
    assert not Path("/tmp/balise-evil-through-link.txt").exists()
    assert not Path("/tmp/balise-evil-absolute.txt").exists()


def test_restore_refuses_a_malicious_backup_in_french(
    new_deployment: Callable[[], Deployment], tmp_path: Path
) -> None:
    archive = _write(tmp_path / "piege.tar.gz", MALICIOUS["traversal"])
    target = new_deployment()
    refused = run_balise("restore", str(archive), env=target.env)
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    assert "n’est pas une sauvegarde Balise" in refused.stderr
    assert not (tmp_path / "evil.txt").exists()
