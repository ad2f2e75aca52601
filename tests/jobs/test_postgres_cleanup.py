"""`make test` leaves no PostgreSQL data folder behind in /tmp."""

from __future__ import annotations

from tests.support.postgres import start_postgres


def test_the_test_servers_data_folder_is_deleted_when_it_stops() -> None:
    server, data_dir = start_postgres("balise-pg-cleanup-")
    server.psql("SELECT 1;")
    assert data_dir.exists()
    server.cleanup()
    assert not data_dir.exists()
