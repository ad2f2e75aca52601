"""Files that hold personal data or secrets are created readable by their owner only (0600)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO


def open_private(path: Path) -> BinaryIO:
    """Open ``path`` for writing, created 0600; an existing file is truncated and narrowed to 0600.

    The mode is set when the file is created, not after: a chmod afterwards would leave a moment where
    another user of the machine could open it."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)
    return os.fdopen(descriptor, "wb")


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path``, readable by its owner only."""
    with open_private(path) as out:
        out.write(data)
