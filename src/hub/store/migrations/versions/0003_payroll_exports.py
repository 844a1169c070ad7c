"""payroll exports

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 03:18:33.533788

What was sent to payroll: each export of a pay period, its files byte for byte (in
chunks), and each technician's exact hours in it, for the next export's change report.
"""

from alembic import op
import sqlalchemy as sa
import hub.store.base


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('payroll_exports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('format', sa.String(length=16), nullable=False),
    sa.Column('preview', sa.Boolean(), nullable=False),
    sa.Column('exported_at', hub.store.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('exported_by', sa.String(length=120), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('technicians', sa.Integer(), nullable=False),
    sa.Column('left_out', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_payroll_exports_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payroll_exports'))
    )
    with op.batch_alter_table('payroll_exports', schema=None) as batch_op:
        batch_op.create_index('ix_payroll_exports_period', ['period_start', 'exported_at'], unique=False)

    op.create_table('payroll_export_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('export_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['export_id'], ['payroll_exports.id'], name=op.f('fk_payroll_export_files_export_id_payroll_exports')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payroll_export_files'))
    )
    with op.batch_alter_table('payroll_export_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payroll_export_files_export_id'), ['export_id'], unique=False)

    op.create_table('payroll_export_technicians',
    sa.Column('export_id', sa.Integer(), nullable=False),
    sa.Column('technician_id', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('regular_us', sa.BigInteger(), nullable=False),
    sa.Column('overtime_us', sa.BigInteger(), nullable=False),
    sa.Column('double_time_us', sa.BigInteger(), nullable=False),
    sa.Column('premium_us', sa.BigInteger(), nullable=False),
    sa.CheckConstraint("status IN ('exported', 'not_approved', 'no_employee_id')", name=op.f('ck_payroll_export_technicians_status_known')),
    sa.ForeignKeyConstraint(['export_id'], ['payroll_exports.id'], name=op.f('fk_payroll_export_technicians_export_id_payroll_exports')),
    sa.ForeignKeyConstraint(['technician_id'], ['technicians.id'], name=op.f('fk_payroll_export_technicians_technician_id_technicians')),
    sa.PrimaryKeyConstraint('export_id', 'technician_id', name=op.f('pk_payroll_export_technicians'))
    )
    op.create_table('payroll_export_chunks',
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['file_id'], ['payroll_export_files.id'], name=op.f('fk_payroll_export_chunks_file_id_payroll_export_files')),
    sa.PrimaryKeyConstraint('file_id', 'seq', name=op.f('pk_payroll_export_chunks'))
    )


def downgrade() -> None:
    op.drop_table('payroll_export_chunks')
    op.drop_table('payroll_export_technicians')
    with op.batch_alter_table('payroll_export_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payroll_export_files_export_id'))

    op.drop_table('payroll_export_files')
    with op.batch_alter_table('payroll_exports', schema=None) as batch_op:
        batch_op.drop_index('ix_payroll_exports_period')

    op.drop_table('payroll_exports')
