"""leg driver corrections

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 07:40:00

A supervisor names the driver of a drive leg that had none (issue 18) with a vehicle
assignment covering that leg's span, recorded with who, when and why: `reason`,
`recorded_by` and `recorded_at` on vehicle_assignments (empty on the roster's own).
"""

from alembic import op
import sqlalchemy as sa

import hub.store.base


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('vehicle_assignments') as batch:
        batch.add_column(sa.Column('reason', sa.Text(), nullable=True))
        batch.add_column(sa.Column('recorded_by', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('recorded_at', hub.store.base.UtcDateTime(timezone=True), nullable=True))
        batch.create_foreign_key(op.f('fk_vehicle_assignments_recorded_by_users'), 'users', ['recorded_by'], ['id'])
        batch.create_check_constraint(
            op.f('ck_vehicle_assignments_correction_recorded'),
            "reason IS NULL OR (length(trim(reason)) > 0 AND recorded_by IS NOT NULL"
            " AND recorded_at IS NOT NULL AND ends_at IS NOT NULL)")


def downgrade() -> None:
    with op.batch_alter_table('vehicle_assignments') as batch:
        batch.drop_constraint(op.f('ck_vehicle_assignments_correction_recorded'), type_='check')
        batch.drop_constraint(op.f('fk_vehicle_assignments_recorded_by_users'), type_='foreignkey')
        batch.drop_column('recorded_at')
        batch.drop_column('recorded_by')
        batch.drop_column('reason')
