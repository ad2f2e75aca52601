"""Maintenance mode: a file in the data folder, so every web process and worker sees the switch.

A file rather than a database row so that it can be turned on while the database is being migrated or
restored; ``balise serve`` processes of one deployment share the data folder.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from balise.i18n import N_

FILE_NAME = "maintenance.json"
DEFAULT_MESSAGE = N_("Balise is under maintenance; changes are paused for a few minutes.")


@dataclass(frozen=True)
class Maintenance:
    message: str
    """What the administrator wrote, shown as is; empty: the default message, translated."""
    since: str


def maintenance_state(data_dir: Path) -> Maintenance | None:
    """The current maintenance, or ``None`` when the site is open (a missing or unreadable file)."""
    try:
        stored = json.loads((data_dir / FILE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(stored, dict):
        return None
    return Maintenance(message=str(stored.get("message", "")), since=str(stored.get("since", "")))


def set_maintenance(data_dir: Path, on: bool, message: str = "") -> None:
    """Turn maintenance on (written atomically, so a process never reads half a file) or off."""
    path = data_dir / FILE_NAME
    if not on:
        path.unlink(missing_ok=True)
        return
    data_dir.mkdir(parents=True, exist_ok=True)
    draft = data_dir / f".{FILE_NAME}.{os.getpid()}"
    draft.write_text(
        json.dumps({"message": message.strip(), "since": datetime.now(UTC).isoformat(timespec="seconds")}),
        encoding="utf-8",
    )
    draft.replace(path)


def page_context(request: object) -> dict[str, Maintenance | None]:
    """For every page's banner (``base.html``): the maintenance under way, if any."""
    from balise.config import get_settings

    return {"maintenance": maintenance_state(get_settings().data_dir)}
