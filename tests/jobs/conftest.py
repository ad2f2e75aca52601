"""Fixtures of the job tests: the foundation's signed-in clients (the upload test)."""

from tests.foundation.conftest import app, make_member  # noqa: F401  (fixtures shared with the foundation)
