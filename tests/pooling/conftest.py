"""Fixtures of the pooling tests: the shared web fixtures and the documents of a test library."""

from tests.assistant.conftest import add_document  # noqa: F401  (adds a document to a municipality)
from tests.support.web import app, make_member  # noqa: F401  (shared web fixtures)
