"""Fixtures of the page-detail tests: the foundation's app and signed-in clients."""

from tests.foundation.conftest import app, make_member  # noqa: F401  (fixtures shared with the foundation)
