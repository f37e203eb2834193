"""biofeedback: live sessions with their recording and results

Revision ID: 0007
Revises: 0001
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0001"
branch_labels = ("biofeedback",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "biofeedback_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("started_by_id", sa.Integer(), nullable=True),
        sa.Column("mode", sa.String(length=20), nullable=False),
        sa.Column("programme_id", sa.String(length=64), nullable=True),
        sa.Column("level", sa.Integer(), nullable=True),
        sa.Column("device_name", sa.String(length=200), nullable=False),
        sa.Column("signal_kind", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("recording_id", sa.String(length=32), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("duration_s", sa.Float(), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("ingest_token_hash", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["users.id"],
            name=op.f("fk_biofeedback_sessions_patient_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["started_by_id"],
            ["users.id"],
            name=op.f("fk_biofeedback_sessions_started_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_biofeedback_sessions")),
        sa.UniqueConstraint("public_id", name=op.f("uq_biofeedback_sessions_public_id")),
        sa.UniqueConstraint("recording_id", name=op.f("uq_biofeedback_sessions_recording_id")),
        sa.UniqueConstraint(
            "ingest_token_hash", name=op.f("uq_biofeedback_sessions_ingest_token_hash")
        ),
    )
    op.create_index(
        "ix_biofeedback_sessions_patient_started",
        "biofeedback_sessions",
        ["patient_id", "started_at"],
    )


def downgrade() -> None:
    op.drop_index("ix_biofeedback_sessions_patient_started", table_name="biofeedback_sessions")
    op.drop_table("biofeedback_sessions")
