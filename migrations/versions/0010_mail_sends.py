"""E-mail: every invitation, reminder and colleague invitation sent, and whether the mail server
took it (issue 12 "E-mail")

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 19:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mail_sends",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=True),
        sa.Column("respondent_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("recipient", sa.String(length=320), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_mail_sends_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_mail_sends_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["respondent_id"],
            ["respondents.id"],
            name=op.f("fk_mail_sends_respondent_id_respondents"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_mail_sends_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_sends")),
    )
    with op.batch_alter_table("mail_sends", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mail_sends_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_mail_sends_assessment_id"), ["assessment_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_mail_sends_respondent_id"), ["respondent_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("mail_sends", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mail_sends_respondent_id"))
        batch_op.drop_index(batch_op.f("ix_mail_sends_assessment_id"))
        batch_op.drop_index(batch_op.f("ix_mail_sends_organisation_id"))
    op.drop_table("mail_sends")
