"""care pathway: intakes, check-ins and the therapist directory

Revision ID: 0004
Revises: 0001
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0001"
branch_labels = ("pathway",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pathway_intakes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("explanation", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["users.id"],
            name=op.f("fk_pathway_intakes_patient_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pathway_intakes")),
        sa.UniqueConstraint("public_id", name=op.f("uq_pathway_intakes_public_id")),
        sa.UniqueConstraint("patient_id", "version", name=op.f("uq_pathway_intakes_patient_id")),
    )
    with op.batch_alter_table("pathway_intakes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pathway_intakes_patient_id"), ["patient_id"], unique=False
        )

    op.create_table(
        "pathway_checkins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("intake_id", sa.Integer(), nullable=False),
        sa.Column("point", sa.String(length=10), nullable=False),
        sa.Column("pgi_i", sa.Integer(), nullable=True),
        sa.Column("iciq_items", sa.JSON(), nullable=True),
        sa.Column("iciq_total", sa.Integer(), nullable=True),
        sa.Column("diary", sa.JSON(), nullable=True),
        sa.Column("red_flags", sa.JSON(), nullable=False),
        sa.Column("trouble_contracting_or_relaxing", sa.Boolean(), nullable=False),
        sa.Column("prefers_physiotherapist", sa.Boolean(), nullable=False),
        sa.Column("outcome", sa.String(length=30), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["intake_id"],
            ["pathway_intakes.id"],
            name=op.f("fk_pathway_checkins_intake_id_pathway_intakes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["users.id"],
            name=op.f("fk_pathway_checkins_patient_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pathway_checkins")),
        sa.UniqueConstraint("public_id", name=op.f("uq_pathway_checkins_public_id")),
    )
    with op.batch_alter_table("pathway_checkins", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pathway_checkins_intake_id"), ["intake_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_pathway_checkins_patient_id"), ["patient_id"], unique=False
        )

    op.create_table(
        "pathway_directory",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("therapist_id", sa.Integer(), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("city", sa.String(length=100), nullable=False),
        sa.Column("city_key", sa.String(length=100), nullable=False),
        sa.Column("quality_register", sa.String(length=10), nullable=False),
        sa.Column("register_number", sa.String(length=30), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["therapist_id"],
            ["users.id"],
            name=op.f("fk_pathway_directory_therapist_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pathway_directory")),
        sa.UniqueConstraint("public_id", name=op.f("uq_pathway_directory_public_id")),
        sa.UniqueConstraint("therapist_id", name=op.f("uq_pathway_directory_therapist_id")),
    )
    with op.batch_alter_table("pathway_directory", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pathway_directory_city_key"), ["city_key"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("pathway_directory", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pathway_directory_city_key"))
    op.drop_table("pathway_directory")
    with op.batch_alter_table("pathway_checkins", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pathway_checkins_patient_id"))
        batch_op.drop_index(batch_op.f("ix_pathway_checkins_intake_id"))
    op.drop_table("pathway_checkins")
    with op.batch_alter_table("pathway_intakes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pathway_intakes_patient_id"))
    op.drop_table("pathway_intakes")
