"""Re-assessment: an assessment's baseline (an earlier assessment, or imported scores) and the day
it closed (DESIGN §4 `baseline:`, §5 "Progress to date", §7 "Re-assessment")

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 16:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("baseline_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("baseline_scores", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(), nullable=True))
        batch_op.create_foreign_key(
            "fk_assessments_baseline_id_assessments", "assessments", ["baseline_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_constraint("fk_assessments_baseline_id_assessments", type_="foreignkey")
        batch_op.drop_column("closed_at")
        batch_op.drop_column("baseline_scores")
        batch_op.drop_column("baseline_id")
