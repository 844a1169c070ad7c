"""payroll identities

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 04:30:00

Who each technician is in each payroll system (issue 17): a row per technician and
provider with the employee id there and, for QuickBooks, the employee list name; given
and family names on technicians; a QuickBooks job on work orders.

Backfill, so that nothing that exported before is lost: a technician's payroll id becomes
their ADP file number and Paychex worker id (the export checks their shape and names the
ones to fix), their name their QuickBooks employee name (what the IIF file wrote); given
name is the name's first word and family name the rest ("José Núñez Ruiz": "José",
"Núñez Ruiz"), for an admin to check. Gusto's ids are Gusto's own: none is guessed.
"""

from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('payroll_identities',
    sa.Column('technician_id', sa.String(length=64), nullable=False),
    sa.Column('provider', sa.String(length=16), nullable=False),
    sa.Column('employee_id', sa.String(length=64), nullable=True),
    sa.Column('employee_name', sa.String(length=120), nullable=True),
    sa.CheckConstraint("provider IN ('adp', 'paychex', 'gusto', 'iif')", name=op.f('ck_payroll_identities_provider_known')),
    sa.ForeignKeyConstraint(['technician_id'], ['technicians.id'], name=op.f('fk_payroll_identities_technician_id_technicians')),
    sa.PrimaryKeyConstraint('technician_id', 'provider', name=op.f('pk_payroll_identities')),
    sa.UniqueConstraint('provider', 'employee_id', name=op.f('uq_payroll_identities_provider'))
    )
    with op.batch_alter_table('technicians') as batch:
        batch.add_column(sa.Column('given_name', sa.String(length=120), server_default='', nullable=False))
        batch.add_column(sa.Column('family_name', sa.String(length=120), server_default='', nullable=False))
    with op.batch_alter_table('work_orders') as batch:
        batch.add_column(sa.Column('quickbooks_job', sa.String(length=200), nullable=True))
    _backfill()


def _backfill() -> None:
    bind = op.get_bind()
    technicians = sa.table('technicians', sa.column('id'), sa.column('name'), sa.column('payroll_id'),
                           sa.column('given_name'), sa.column('family_name'))
    identities = sa.table('payroll_identities', sa.column('technician_id'), sa.column('provider'),
                          sa.column('employee_id'), sa.column('employee_name'))
    rows = []
    for tech, name, payroll_id in bind.execute(sa.select(technicians.c.id, technicians.c.name, technicians.c.payroll_id)):
        given, _, family = (name or '').strip().partition(' ')
        bind.execute(technicians.update().where(technicians.c.id == tech)
                     .values(given_name=given, family_name=' '.join(family.split())))
        if payroll_id:
            rows += [dict(technician_id=tech, provider=p, employee_id=payroll_id, employee_name=None)
                     for p in ('adp', 'paychex')]
        rows.append(dict(technician_id=tech, provider='iif', employee_id=None, employee_name=name))
    if rows:
        bind.execute(identities.insert(), rows)


def downgrade() -> None:
    with op.batch_alter_table('work_orders') as batch:
        batch.drop_column('quickbooks_job')
    with op.batch_alter_table('technicians') as batch:
        batch.drop_column('family_name')
        batch.drop_column('given_name')
    op.drop_table('payroll_identities')
