"""Fixtures of the evaluation tests: a loopback model registered as a municipality's default, and
signed-in members for the managers' page."""

from __future__ import annotations

from tests.assistant.conftest import use_model  # noqa: F401  (shared fixtures)
from tests.support.web import app, make_member  # noqa: F401
