"""leg rebuild requests

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 06:40:00

Requests to attribute drive legs again after a check-in, a van's assignment or a work-order
site's geofence changed on the web; the ingest takes them and rebuilds those legs.
"""

from alembic import op
import sqlalchemy as sa
import hub.store.base


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('leg_rebuild_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vehicle_id', sa.String(length=64), nullable=True),
    sa.Column('technician_id', sa.String(length=64), nullable=True),
    sa.Column('work_order_id', sa.String(length=64), nullable=True),
    sa.Column('since', hub.store.base.UtcDateTime(timezone=True), nullable=True),
    sa.Column('until', hub.store.base.UtcDateTime(timezone=True), nullable=True),
    sa.Column('reason', sa.String(length=16), nullable=False),
    sa.Column('requested_at', hub.store.base.UtcDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('vehicle_id IS NOT NULL OR technician_id IS NOT NULL OR work_order_id IS NOT NULL', name=op.f('ck_leg_rebuild_requests_names_whose_legs')),
    sa.CheckConstraint('work_order_id IS NOT NULL OR since IS NOT NULL', name=op.f('ck_leg_rebuild_requests_van_or_technician_since')),
    sa.CheckConstraint("reason IN ('check_in', 'assignment', 'geofence')", name=op.f('ck_leg_rebuild_requests_reason_known')),
    sa.ForeignKeyConstraint(['technician_id'], ['technicians.id'], name=op.f('fk_leg_rebuild_requests_technician_id_technicians')),
    sa.ForeignKeyConstraint(['vehicle_id'], ['vehicles.id'], name=op.f('fk_leg_rebuild_requests_vehicle_id_vehicles')),
    sa.ForeignKeyConstraint(['work_order_id'], ['work_orders.id'], name=op.f('fk_leg_rebuild_requests_work_order_id_work_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_leg_rebuild_requests'))
    )


def downgrade() -> None:
    op.drop_table('leg_rebuild_requests')
