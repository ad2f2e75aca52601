"""Validated-answer fixtures: the citizen assistant's municipality (approved, unapproved and internal
documents) and the assistant's document adder."""

from tests.citizen.conftest import _fresh, add_document, city  # noqa: F401
from tests.support.web import app, make_member  # noqa: F401
