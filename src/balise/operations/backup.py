"""Whole-deployment backups: the database, the secret key and the data folder, in one archive.

SQLite is copied with its online backup API (a consistent copy while Balise runs); PostgreSQL with
``pg_dump`` (one snapshot of the whole database). The secret key travels with them: without it the
privacy vault and the stored API keys of a restored database cannot be decrypted.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import URL, make_url

import balise
from balise.config import Settings
from balise.db.migrate import current_revision
from balise.errors import BaliseError
from balise.operations.private import open_private, write_private
from balise.operations.safetar import safe_extract

FORMAT = "balise-backup"
VERSION = 1
SQLITE_NAME = "database.sqlite"
PGDUMP_NAME = "database.pgdump"
KEY_NAME = "secret.key"
DATA_PREFIX = "data/"


class BackupError(BaliseError):
    status = 400
    code = "backup"


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    engine: str
    revision: str
    files: int
    size_bytes: int


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _sqlite_path(engine: Engine) -> Path:
    database = engine.url.database
    if not database or database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up.")
    return Path(database)


def server_major(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SHOW server_version_num")).scalar_one()) // 10000


def _major(program: Path) -> int:
    done = subprocess.run([str(program), "--version"], capture_output=True, text=True, check=False)
    found = re.search(r"(\d+)(?:\.\d+)?", done.stdout)
    return int(found.group(1)) if done.returncode == 0 and found else 0


def pg_tool(settings: Settings, name: str, major: int) -> str:
    """``pg_dump``/``pg_restore`` of the server's major version or newer (an older one refuses to dump):
    from BALISE_PG_BIN_DIR, the PATH, Debian's /usr/lib/postgresql/N/bin, or the bundled pgserver."""
    candidates = [Path(settings.pg_bin_dir) / name] if settings.pg_bin_dir else []
    found = shutil.which(name)
    if found:
        candidates.append(Path(found))
    candidates += sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)
    try:
        import pgserver  # bundled with the test extras: a PostgreSQL of the same major version as CI's

        candidates.append(Path(pgserver.__file__).parent / "pginstall" / "bin" / name)
    except ImportError:
        pass
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK) and _major(candidate) >= major:
            return str(candidate)
    raise BackupError(
        "No {name} of PostgreSQL {major} or newer was found (the server's version). Install the client"
        " of that version (Debian/Ubuntu: `apt install postgresql-client-{major}`) or set"
        " BALISE_PG_BIN_DIR to its folder.",
        name=name,
        major=major,
    )


def libpq_arguments(engine: Engine) -> tuple[str, dict[str, str]]:
    """A libpq connection string without the password, and the environment that carries it."""
    url: URL = make_url(engine.url.render_as_string(hide_password=False)).set(drivername="postgresql")
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return url.set(password=None).render_as_string(hide_password=False), env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(
            "{what} failed: {reason}",
            what=what,
            reason=(result.stderr.strip().splitlines() or ["?"])[-1],
        )


def _data_files(settings: Settings, engine: Engine) -> Iterator[tuple[Path, str]]:
    """Files under the data folder other than the live database and the key (saved on their own)."""
    root = settings.data_dir
    if not root.is_dir():
        return
    skip: set[Path] = {(root / "secret.key").resolve()}
    if engine.dialect.name == "sqlite":
        database = _sqlite_path(engine).resolve()
        skip |= {database, Path(f"{database}-wal"), Path(f"{database}-shm"), Path(f"{database}-journal")}
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.resolve() not in skip and not path.name.startswith(".secret.key."):
            yield path, DATA_PREFIX + path.relative_to(root).as_posix()


def create_backup(engine: Engine, settings: Settings, output: Path) -> BackupSummary:
    """Write one ``.tar.gz`` holding a consistent dump, the secret key and the data folder's files."""
    revision = current_revision(engine)
    with tempfile.TemporaryDirectory(prefix="balise-backup-") as scratch:
        work = Path(scratch)
        members: dict[str, Path] = {}
        if engine.dialect.name == "sqlite":
            dump = work / SQLITE_NAME
            source = sqlite3.connect(_sqlite_path(engine))
            target = sqlite3.connect(dump)
            try:
                source.backup(target)
            finally:
                target.close()
                source.close()
            members[SQLITE_NAME] = dump
        elif engine.dialect.name == "postgresql":
            dump = work / PGDUMP_NAME
            dsn, env = libpq_arguments(engine)
            command = [
                pg_tool(settings, "pg_dump", server_major(engine)),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
            ]
            _run([*command, "--no-comments", f"--file={dump}", f"--dbname={dsn}"], env, "pg_dump")
            members[PGDUMP_NAME] = dump
        else:
            raise BackupError("Backups support SQLite and PostgreSQL only.")
        key = work / KEY_NAME
        write_private(key, (settings.resolved_secret_key + "\n").encode())
        members[KEY_NAME] = key
        members.update({name: path for path, name in _data_files(settings, engine)})
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": datetime.now(UTC).isoformat(),
            "balise_version": balise.__version__,
            "engine": engine.dialect.name,
            "revision": revision,
            "files": {name: _sha256(path) for name, path in members.items()},
        }
        output.parent.mkdir(parents=True, exist_ok=True)
        partial = output.with_name(output.name + ".partial")
        with open_private(partial) as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:  # holds the key
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
            for name, path in members.items():
                archive.add(path, arcname=name, recursive=False)
        partial.replace(output)
    return BackupSummary(output, engine.dialect.name, revision, len(members), output.stat().st_size)


@contextmanager
def _unpacked(archive_path: Path) -> Iterator[tuple[dict[str, object], Path]]:
    if not archive_path.is_file():
        raise BackupError("The backup {path} does not exist.", path=str(archive_path))
    with tempfile.TemporaryDirectory(prefix="balise-restore-") as scratch:
        work = Path(scratch)
        try:
            with tarfile.open(archive_path, "r:gz") as archive:
                safe_extract(archive, work)
            manifest = json.loads((work / "manifest.json").read_text())
        except (tarfile.TarError, OSError, ValueError) as exc:
            raise BackupError("The file {path} is not a Balise backup.", path=str(archive_path)) from exc
        if manifest.get("format") != FORMAT:
            raise BackupError("The file {path} is not a Balise backup.", path=str(archive_path))
        files: dict[str, str] = manifest["files"]
        for name, digest in files.items():
            if not (work / name).is_file() or _sha256(work / name) != digest:
                raise BackupError(
                    "The backup is damaged: {name} does not match its checksum. Use another copy.", name=name
                )
        yield manifest, work


def _is_empty(engine: Engine) -> bool:
    return not [name for name in inspect(engine).get_table_names() if name != "alembic_version"]


def restore_backup(engine: Engine, settings: Settings, archive_path: Path, *, force: bool = False) -> str:
    """Put a backup back in place; returns the schema revision restored.

    The database must be empty (a new PostgreSQL database with the vector extension, or no SQLite
    file) unless ``force`` replaces a SQLite file. Stop ``serve`` and ``worker`` first.
    """
    with _unpacked(archive_path) as (manifest, work):
        if manifest["engine"] != engine.dialect.name:
            raise BackupError(
                "This backup is of a {source} database; BALISE_DATABASE_URL points to {target}."
                " Restore it into the same kind of database (use export and import to change engine).",
                source=str(manifest["engine"]),
                target=engine.dialect.name,
            )
        key = (work / KEY_NAME).read_text().strip()
        if settings.secret_key and settings.secret_key != key:
            raise BackupError(
                "BALISE_SECRET_KEY differs from the key saved in the backup: the restored vault and API"
                " keys could not be read. Set BALISE_SECRET_KEY to the saved key (file secret.key"
                " of the archive), then restore again."
            )
        if not force and not _is_empty(engine):
            raise BackupError(
                "The target database is not empty. Restore into a new, empty database (PostgreSQL:"
                " createdb, then CREATE EXTENSION vector), or with SQLite add --force to replace the file."
            )
        if engine.dialect.name == "sqlite":
            _restore_sqlite(engine, work / SQLITE_NAME)
        else:
            if force and not _is_empty(engine):
                raise BackupError(
                    "A PostgreSQL backup is only restored into an empty database: drop and create it again."
                )
            dsn, env = libpq_arguments(engine)
            command = [
                pg_tool(settings, "pg_restore", server_major(engine)),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
            ]
            _run(
                [*command, "--single-transaction", f"--dbname={dsn}", str(work / PGDUMP_NAME)],
                env,
                "pg_restore",
            )
        engine.dispose()
        if not settings.secret_key:
            settings.data_dir.mkdir(parents=True, exist_ok=True)
            write_private(settings.data_dir / "secret.key", (key + "\n").encode())
        for name in manifest["files"]:  # type: ignore[attr-defined]
            if name.startswith(DATA_PREFIX):
                destination = settings.data_dir / name.removeprefix(DATA_PREFIX)
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(work / name, destination)
        return str(manifest["revision"])


def _restore_sqlite(engine: Engine, dump: Path) -> None:
    engine.dispose()  # no pooled connection may hold the old file while it is replaced
    target_path = _sqlite_path(engine)
    target_path.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(dump)
    target = sqlite3.connect(target_path)
    try:
        source.backup(target)  # page by page, under the target's lock: WAL and readers stay coherent
    finally:
        target.close()
        source.close()
