"""broker credentials

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 05:27:32.156386

The broker logins the hub keeps (`depotclock hub provision`): mosquitto's hash of each
device's password, its role, a kiosk's depot, when it was made, rotated and revoked.
"""

from alembic import op
import sqlalchemy as sa
import hub.store.base


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('broker_credentials',
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('depot_id', sa.String(length=64), nullable=True),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('created_at', hub.store.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('rotated_at', hub.store.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', hub.store.base.UtcDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("(role = 'kiosk' AND depot_id IS NOT NULL) OR (role <> 'kiosk' AND depot_id IS NULL)", name=op.f('ck_broker_credentials_depot_for_kiosks_only')),
    sa.CheckConstraint("role IN ('hub', 'kiosk', 'vehicle')", name=op.f('ck_broker_credentials_role_known')),
    sa.ForeignKeyConstraint(['depot_id'], ['depots.id'], name=op.f('fk_broker_credentials_depot_id_depots')),
    sa.PrimaryKeyConstraint('username', name=op.f('pk_broker_credentials'))
    )


def downgrade() -> None:
    op.drop_table('broker_credentials')
