"""Alembic environment: the engine comes from :func:`balise.db.migrate`, the metadata from every package."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from balise.db.registry import metadata

engine: Engine = context.config.attributes["engine"]

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    context.run_migrations()
