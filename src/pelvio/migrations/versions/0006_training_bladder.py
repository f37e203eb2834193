"""training: the bladder-training schedule beside the plan

Revision ID: 0006
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "training_bladder_schedules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("start_interval_min", sa.Integer(), nullable=False),
        sa.Column("increase_min_per_week", sa.Integer(), nullable=False),
        sa.Column("target_interval_min", sa.Integer(), nullable=False),
        sa.Column("first_void", sa.Time(), nullable=False),
        sa.Column("bed", sa.Time(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["users.id"],
            name=op.f("fk_training_bladder_schedules_patient_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_bladder_schedules")),
        sa.UniqueConstraint("patient_id", name=op.f("uq_training_bladder_schedules_patient_id")),
    )


def downgrade() -> None:
    op.drop_table("training_bladder_schedules")
