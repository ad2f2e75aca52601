"""Validated-answer fixtures: the citizen assistant's municipality (approved, unapproved and internal
documents) and the assistant's document adder."""

import re

from tests.citizen.conftest import _fresh, add_document, city  # noqa: F401
from tests.support.web import app, make_member  # noqa: F401


def csrf_in(page: str) -> str:
    """The CSRF token of a form on ``page``."""
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, page
    return match.group(1)
