"""What a person is told when the database or its disk, not their request, is at fault.

A full disk or a database that stopped answering is an operator's problem that heals once space is
freed or the server is back: the person waiting gets a French message saying so and that nothing
of their request was kept, instead of a bare 500 (or a dropped connection). One refusal is the
person's to mend: PostgreSQL stores no NUL character (0x00) in text, where SQLite does; a text that
carries one is answered 400 on both, here, whichever field, query or JSON body carried it.
"""

from __future__ import annotations

import errno

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from balise.errors import BaliseError

DISK_FULL_SIGNS = ("database or disk is full", "no space left on device", "could not extend file")
UNREACHABLE_SIGNS = (
    "connection refused",
    "server closed the connection",
    "terminating connection",
    "the database system is shutting down",
    "the database system is starting up",
    "connection is closed",
    "could not connect",
    "database is locked",
)


class StorageFull(BaliseError):
    status = 507
    code = "storage_full"


class DatabaseUnavailable(BaliseError):
    status = 503
    code = "database_unavailable"


class NulCharacter(BaliseError):
    status = 400
    code = "nul_character"


def storage_failure(exc: BaseException) -> BaliseError | None:
    """The person-facing error for a full disk, an unreachable database or a NUL character; None for
    anything else."""
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return _full()
    if "nul (0x00)" in str(exc.orig if isinstance(exc, DBAPIError) else exc).lower():
        return NulCharacter(
            "The text sent contains a null character (0x00), which cannot be stored. Remove it (it often "
            "comes from a copy out of a binary file) and send again; nothing was recorded."
        )
    if not isinstance(exc, DBAPIError):
        return None
    text = str(exc.orig if exc.orig is not None else exc).lower()
    if any(sign in text for sign in DISK_FULL_SIGNS):
        return _full()
    if (
        exc.connection_invalidated
        or _server_unreachable(exc)
        or any(sign in text for sign in UNREACHABLE_SIGNS)
    ):
        return DatabaseUnavailable(
            "Balise cannot reach its database at the moment; nothing of this request was recorded. "
            "Try again in a minute; if it lasts, tell the person who runs Balise."
        )
    return None


def _server_unreachable(exc: DBAPIError) -> bool:
    """PostgreSQL's driver raises OperationalError (or InterfaceError) only for a server it cannot reach
    or that went away (stopped, restarted, out of connections); SQLite's also means a bad statement."""
    module = type(exc.orig).__module__.split(".")[0] if exc.orig is not None else ""
    return module == "psycopg" and isinstance(exc, OperationalError | InterfaceError)


def _full() -> StorageFull:
    return StorageFull(
        "The server's disk is full; nothing of this request was recorded. Tell the person who runs "
        "Balise (space must be freed); then try again."
    )
