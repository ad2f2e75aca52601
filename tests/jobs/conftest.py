"""Fixtures of the job tests: signed-in clients (the upload test)."""

from tests.support.web import app, make_member  # noqa: F401  (fixtures shared with the web tests)
