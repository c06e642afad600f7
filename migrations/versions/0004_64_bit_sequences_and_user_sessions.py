"""64-bit client sequences (a browser's Date.now()) and server-side user sessions

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 19:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

SEQUENCED = ("answers", "importance_ratings")


def upgrade() -> None:
    for table in SEQUENCED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                "client_seq", existing_type=sa.Integer(), type_=sa.BigInteger(), existing_nullable=False
            )
    op.create_table(
        "user_sessions",
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_user_sessions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("key_hash", name=op.f("pk_user_sessions")),
    )
    with op.batch_alter_table("user_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_user_sessions_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("user_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_sessions_user_id"))
    op.drop_table("user_sessions")
    for table in SEQUENCED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                "client_seq", existing_type=sa.BigInteger(), type_=sa.Integer(), existing_nullable=False
            )
