"""``scripts/install-system-deps.sh`` (issue 28): it waits for apt's lock, saying so, gives up with a
clear error, and installs only what is missing. apt-get is replaced by a recorder on PATH."""

from __future__ import annotations

import fcntl
import shutil
import subprocess
import sys
import threading
from pathlib import Path

from tests.operations.conftest import ROOT

SCRIPT = ROOT / "scripts" / "install-system-deps.sh"


def _path(tmp_path: Path, *present: str) -> Path:
    """A PATH with the tools the script uses, a recording apt-get and sudo, and ``present`` commands."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("bash", "id", "sleep"):
        (bin_dir / tool).symlink_to(shutil.which(tool) or tool)
    (bin_dir / "python3").symlink_to(sys.executable)
    for name, body in {
        "apt-get": f'echo "$*" >> {tmp_path / "apt.log"}',
        "sudo": 'exec "$@"',
        **dict.fromkeys(present, "true"),
    }.items():
        (bin_dir / name).write_text(f"#!/bin/sh\n{body}\n")
        (bin_dir / name).chmod(0o755)
    return bin_dir


def _run(tmp_path: Path, bin_dir: Path, lock: Path, wait: int) -> subprocess.CompletedProcess[str]:
    env = {"PATH": str(bin_dir), "BALISE_APT_LOCK": str(lock), "BALISE_APT_LOCK_WAIT": str(wait)}
    return subprocess.run(
        [str(bin_dir / "bash"), str(SCRIPT)], env=env, capture_output=True, text=True, timeout=60
    )


def test_a_held_lock_is_waited_for_then_reported(tmp_path: Path):
    lock = tmp_path / "lock-frontend"
    lock.write_text("")
    bin_dir = _path(tmp_path)
    with lock.open("r+") as held:
        fcntl.lockf(held, fcntl.LOCK_EX)
        refused = _run(tmp_path, bin_dir, lock, wait=0)
        assert refused.returncode == 1
        assert "still holds" in refused.stderr and "fuser" in refused.stderr
        assert not (tmp_path / "apt.log").exists()
        threading.Timer(1.0, lambda: fcntl.lockf(held, fcntl.LOCK_UN)).start()
        waited = _run(tmp_path, bin_dir, lock, wait=30)
    assert waited.returncode == 0, waited.stderr
    assert "Waiting for another apt or dpkg" in waited.stderr
    assert "Lock::Timeout=30" in (tmp_path / "apt.log").read_text()


def test_only_missing_packages_are_installed(tmp_path: Path):
    lock = tmp_path / "lock-frontend"
    bin_dir = _path(tmp_path, "chromium")
    done = _run(tmp_path, bin_dir, lock, wait=0)
    assert done.returncode == 0, done.stderr
    install = (tmp_path / "apt.log").read_text().splitlines()[-1]
    assert "chromium" not in install.split() and "tesseract-ocr" in install.split()
