"""Fixtures of the pilot tests: the shared web fixtures, and the governance tests' scoped session."""

from tests.governance.conftest import scoped  # noqa: F401  (a session limited to one municipality)
from tests.support.web import app, make_member  # noqa: F401  (shared web fixtures)
