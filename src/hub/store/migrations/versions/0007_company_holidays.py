"""company holidays

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 04:30:00

The company's own paid holidays, added on the admin page, on top of the public holidays
of its country and subdivision; an export's holiday hours per technician, so a later export
of the period can say what changed.
"""

from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('company_holidays',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_company_holidays')),
    sa.UniqueConstraint('day', name=op.f('uq_company_holidays_day'))
    )
    with op.batch_alter_table('payroll_export_technicians') as batch:
        batch.add_column(sa.Column('holiday_us', sa.BigInteger(), server_default='0', nullable=False))
        batch.add_column(sa.Column('holiday_worked_us', sa.BigInteger(), server_default='0', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('payroll_export_technicians') as batch:
        batch.drop_column('holiday_worked_us')
        batch.drop_column('holiday_us')
    op.drop_table('company_holidays')
