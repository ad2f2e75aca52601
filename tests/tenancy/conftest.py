"""The walks of every route sign in as members of the web app."""

from tests.support.web import app, make_member  # noqa: F401
