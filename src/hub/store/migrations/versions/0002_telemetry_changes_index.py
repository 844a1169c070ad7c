"""telemetry changes index

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 09:00:00.000000

Drive-leg rebuilding looks up a van's ignition changes and cab reads, which are few among
its GPS fixes: a partial index on those alone costs fix inserts nothing.
"""

from alembic import op
import sqlalchemy as sa

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

NOT_FIX = sa.text("type <> 'fix'")


def upgrade() -> None:
    with op.batch_alter_table('telemetry_events', schema=None) as batch_op:
        batch_op.create_index(
            'ix_telemetry_changes', ['vehicle_id', 'type', 'at'], unique=False,
            postgresql_where=NOT_FIX, sqlite_where=NOT_FIX,
        )


def downgrade() -> None:
    with op.batch_alter_table('telemetry_events', schema=None) as batch_op:
        batch_op.drop_index('ix_telemetry_changes')
