"""Fixtures of the staff survey tests: the shared web fixtures."""

from __future__ import annotations

from tests.support.web import app, make_member  # noqa: F401  (shared web fixtures)
