"""visit requests

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 11:20:00

Check-ins, check-outs and timers a phone kept offline (issue 19) are taken as its punches
are: a check-in's request id gets a digest of what it said, a check-out its own request id
and digest, and the visit flags (`sent_late`, `phone_clock`) as a punch has. Columns are
added in place (no batch rebuild on SQLite).
"""

from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('work_order_visits', sa.Column('request_digest', sa.String(length=64), nullable=True))
    op.add_column('work_order_visits', sa.Column('check_out_request_id', sa.String(length=64), nullable=True))
    op.add_column('work_order_visits', sa.Column('check_out_digest', sa.String(length=64), nullable=True))
    op.add_column('work_order_visits', sa.Column('flags', sa.JSON(), server_default=sa.text("'[]'"), nullable=False))
    op.create_index(op.f('uq_work_order_visits_check_out_request_id'), 'work_order_visits',
                    ['check_out_request_id'], unique=True)


def downgrade() -> None:
    op.drop_index(op.f('uq_work_order_visits_check_out_request_id'), table_name='work_order_visits')
    with op.batch_alter_table('work_order_visits') as batch:
        for name in ('flags', 'check_out_digest', 'check_out_request_id', 'request_digest'):
            batch.drop_column(name)
