"""Workshop sessions, participants and votes; an assessment's workshop notes

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 10:36:50.365104
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "workshop_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=6), nullable=False),
        sa.Column("phase", sa.String(length=10), nullable=False),
        sa.Column("position", sa.Integer(), nullable=True),
        sa.Column("item", sa.String(length=250), nullable=True),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("agreed", sa.String(length=10), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("agenda", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_workshop_sessions_assessment_id_assessments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workshop_sessions")),
        sa.UniqueConstraint("code", name=op.f("uq_workshop_sessions_code")),
    )
    with op.batch_alter_table("workshop_sessions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_workshop_sessions_assessment_id"), ["assessment_id"], unique=False
        )

    op.create_table(
        "workshop_participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("respondent_id", sa.Integer(), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["respondent_id"],
            ["respondents.id"],
            name=op.f("fk_workshop_participants_respondent_id_respondents"),
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["workshop_sessions.id"],
            name=op.f("fk_workshop_participants_session_id_workshop_sessions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workshop_participants")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_workshop_participants_key_hash")),
        sa.UniqueConstraint("respondent_id", name=op.f("uq_workshop_participants_respondent_id")),
    )
    with op.batch_alter_table("workshop_participants", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_workshop_participants_session_id"), ["session_id"], unique=False
        )

    op.create_table(
        "workshop_votes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(length=250), nullable=False),
        sa.Column("value", sa.String(length=10), nullable=False),
        sa.Column("client_seq", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["workshop_participants.id"],
            name=op.f("fk_workshop_votes_participant_id_workshop_participants"),
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["workshop_sessions.id"],
            name=op.f("fk_workshop_votes_session_id_workshop_sessions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workshop_votes")),
        sa.UniqueConstraint(
            "session_id", "participant_id", "item", name=op.f("uq_workshop_votes_session_id")
        ),
    )
    with op.batch_alter_table("workshop_votes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_workshop_votes_session_id"), ["session_id"], unique=False
        )

    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("notes", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
        )


def downgrade() -> None:
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_column("notes")

    with op.batch_alter_table("workshop_votes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workshop_votes_session_id"))

    op.drop_table("workshop_votes")
    with op.batch_alter_table("workshop_participants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workshop_participants_session_id"))

    op.drop_table("workshop_participants")
    with op.batch_alter_table("workshop_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workshop_sessions_assessment_id"))

    op.drop_table("workshop_sessions")
