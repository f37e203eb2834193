"""training: plans, the session log, prescribed modalities and their log

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = ("training",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "training_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.String(length=64), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("level_since", sa.Date(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("sessions_per_day", sa.Integer(), nullable=False),
        sa.Column("reminder_times", sa.String(length=100), nullable=False),
        sa.Column("calendar_token", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["users.id"],
            name=op.f("fk_training_plans_patient_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_plans")),
        sa.UniqueConstraint("calendar_token", name=op.f("uq_training_plans_calendar_token")),
        sa.UniqueConstraint("patient_id", name=op.f("uq_training_plans_patient_id")),
    )
    op.create_table(
        "training_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("programme_id", sa.String(length=64), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("completed", sa.Boolean(), nullable=False),
        sa.Column("felt", sa.String(length=8), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["users.id"],
            name=op.f("fk_training_sessions_patient_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_sessions")),
        sa.UniqueConstraint(
            "patient_id", "client_id", name=op.f("uq_training_sessions_patient_id")
        ),
        sa.UniqueConstraint("public_id", name=op.f("uq_training_sessions_public_id")),
    )
    with op.batch_alter_table("training_sessions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_training_sessions_patient_started", ["patient_id", "started_at"], unique=False
        )

    op.create_table(
        "training_modalities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("therapist_id", sa.Integer(), nullable=True),
        sa.Column("modality", sa.String(length=20), nullable=False),
        sa.Column("assigned_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("frequency_hz", sa.Float(), nullable=True),
        sa.Column("pulse_width_us", sa.Float(), nullable=True),
        sa.Column("on_time_s", sa.Float(), nullable=True),
        sa.Column("off_time_s", sa.Float(), nullable=True),
        sa.Column("duration_min", sa.Float(), nullable=True),
        sa.Column("intensity_ma", sa.Float(), nullable=True),
        sa.Column("screening_answers", sa.JSON(), nullable=True),
        sa.Column("screened_on", sa.Date(), nullable=True),
        sa.Column("balloon_volumes_ml", sa.JSON(), nullable=True),
        sa.Column("balloon_steps", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["users.id"],
            name=op.f("fk_training_modalities_patient_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["therapist_id"],
            ["users.id"],
            name=op.f("fk_training_modalities_therapist_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_modalities")),
        sa.UniqueConstraint("public_id", name=op.f("uq_training_modalities_public_id")),
    )
    with op.batch_alter_table("training_modalities", schema=None) as batch_op:
        batch_op.create_index(
            "ix_training_modalities_patient", ["patient_id", "modality"], unique=False
        )

    op.create_table(
        "training_modality_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("assignment_id", sa.Integer(), nullable=False),
        sa.Column("performed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("discomfort_0_10", sa.Integer(), nullable=False),
        sa.Column("completed", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["training_modalities.id"],
            name=op.f("fk_training_modality_log_assignment_id_training_modalities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["users.id"],
            name=op.f("fk_training_modality_log_patient_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_modality_log")),
        sa.UniqueConstraint("public_id", name=op.f("uq_training_modality_log_public_id")),
    )
    with op.batch_alter_table("training_modality_log", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_modality_log_assignment_id"),
            ["assignment_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_training_modality_log_patient_id"), ["patient_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("training_modality_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_modality_log_patient_id"))
        batch_op.drop_index(batch_op.f("ix_training_modality_log_assignment_id"))
    op.drop_table("training_modality_log")
    with op.batch_alter_table("training_modalities", schema=None) as batch_op:
        batch_op.drop_index("ix_training_modalities_patient")
    op.drop_table("training_modalities")
    with op.batch_alter_table("training_sessions", schema=None) as batch_op:
        batch_op.drop_index("ix_training_sessions_patient_started")
    op.drop_table("training_sessions")
    op.drop_table("training_plans")
