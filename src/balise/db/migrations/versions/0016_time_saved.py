"""Minutes an author says a result saved them (G15, the usage report's time saved by task).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 19:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("review_outputs") as batch:
        batch.add_column(sa.Column("minutes_saved", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("review_outputs") as batch:
        batch.drop_column("minutes_saved")
