"""Safe extraction of a tar archive on every Python Balise supports, standard library only.

``TarFile.extractall(filter="data")`` arrived in Python 3.11.4 (and 3.10.12, 3.12); Debian 12's
python3 is 3.11.2 and stops with a ``TypeError``. This module imports nothing from Balise so that it
can be tested, and run, under a bare system Python.

Backups hold regular files and folders only, so anything else is refused before a byte is written:
absolute names, ``..``, links (symbolic or hard) and devices, FIFOs. Files are written 0600 and
folders 0700: they hold the secret key and personal data.
"""

from __future__ import annotations

import os
import shutil
import tarfile
from pathlib import Path, PurePosixPath


class UnsafeArchiveError(ValueError):
    """The archive holds a member that would be written outside the target, or is not a plain file."""


def _check(member: tarfile.TarInfo, root: Path) -> Path:
    name = member.name
    parts = PurePosixPath(name).parts
    if not name or name.startswith(("/", "\\")) or PurePosixPath(name).is_absolute():
        raise UnsafeArchiveError(f"absolute path in the archive: {name!r}")
    if ".." in parts or any("\\" in part for part in parts):
        raise UnsafeArchiveError(f"path leaving the target folder: {name!r}")
    if not (member.isreg() or member.isdir()):
        raise UnsafeArchiveError(f"link or special file in the archive: {name!r}")
    destination = (root / Path(*parts)).resolve()
    if destination != root and root not in destination.parents:
        raise UnsafeArchiveError(f"path leaving the target folder: {name!r}")
    return destination


def safe_extract(archive: tarfile.TarFile, target: Path) -> list[str]:
    """Extract ``archive`` into ``target`` after checking every member; returns the members' names."""
    root = Path(target).resolve()
    members = archive.getmembers()
    destinations = [(member, _check(member, root)) for member in members]
    for member, destination in destinations:
        if member.isdir():
            destination.mkdir(mode=0o700, parents=True, exist_ok=True)
            continue
        destination.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        source = archive.extractfile(member)
        if source is None:
            raise UnsafeArchiveError(f"unreadable member: {member.name!r}")
        descriptor = os.open(destination, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        with source, os.fdopen(descriptor, "wb") as out:
            shutil.copyfileobj(source, out)
    return [member.name for member in members]
