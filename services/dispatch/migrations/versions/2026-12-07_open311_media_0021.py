"""Open311: a request's ``media_url`` (the client's link to a photo or video), kept for the filing client.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("open311_request", sa.Column("media_url", sa.String(length=500), nullable=True))


def downgrade() -> None:
    op.drop_column("open311_request", "media_url")
