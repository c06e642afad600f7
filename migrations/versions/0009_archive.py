"""Statuses and editing (issue 12 items 2 and 3): the day an assessment was archived (hidden from
the dashboard), the content hash of the answers file it was imported from (importing the same file
again offers to update it instead of creating a duplicate), the day a respondent first opened their
link; and no more drafts — an assessment's links always worked, so every draft is open for answers

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 19:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("archived_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("import_hash", sa.String(length=64), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_assessments_import_hash"), ["import_hash"], unique=False
        )
    with op.batch_alter_table("respondents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("opened_at", sa.DateTime(), nullable=True))
    op.execute("UPDATE assessments SET status = 'open' WHERE status = 'draft'")
    op.execute("UPDATE respondents SET opened_at = started_at WHERE started_at IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table("respondents", schema=None) as batch_op:
        batch_op.drop_column("opened_at")
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessments_import_hash"))
        batch_op.drop_column("import_hash")
        batch_op.drop_column("archived_at")
