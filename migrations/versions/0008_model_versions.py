"""Model versions: an assessment's moves from one pinned version of a model to another, and back
(DESIGN §7 "Model versions")

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 18:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "model_moves",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("framework_id", sa.String(length=80), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("from_name", sa.String(length=200), nullable=False),
        sa.Column("to_name", sa.String(length=200), nullable=False),
        sa.Column("from_hash", sa.String(length=64), nullable=False),
        sa.Column("to_hash", sa.String(length=64), nullable=False),
        sa.Column("from_version", sa.String(length=40), nullable=False),
        sa.Column("to_version", sa.String(length=40), nullable=False),
        sa.Column("library", sa.JSON(), nullable=False),
        sa.Column("reverts_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_model_moves_assessment_id_assessments"),
        ),
        sa.ForeignKeyConstraint(
            ["reverts_id"], ["model_moves.id"], name=op.f("fk_model_moves_reverts_id_model_moves")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_model_moves_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_model_moves")),
    )
    with op.batch_alter_table("model_moves", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_model_moves_assessment_id"), ["assessment_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("model_moves", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_model_moves_assessment_id"))
    op.drop_table("model_moves")
