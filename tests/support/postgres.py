"""A real PostgreSQL with pgvector for the tests (pgserver), that leaves nothing behind in /tmp.

Each xdist worker gets its own server and data folder (50–66 MB); the folder is deleted when the
server stops, at the end of the session or at exit. Run as root, pgserver creates a system user
``pgserver`` to run PostgreSQL (the README says so).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any


def start_postgres(prefix: str = "balise-pg-") -> tuple[Any, Path]:
    """(server, data folder): ``server.cleanup()`` stops it and deletes the folder."""
    import pgserver

    data_dir = Path(tempfile.mkdtemp(prefix=prefix))
    return pgserver.get_server(data_dir, cleanup_mode="delete"), data_dir
