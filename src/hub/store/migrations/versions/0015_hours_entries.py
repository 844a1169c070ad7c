"""hours entries

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 11:20:00

Hours-only entries (issue 19): worked time on a day with no punches, to a work order or a
task category, with a reason; and their voids, each a row of its own. New tables only, so
nothing is rebuilt on SQLite.
"""

from alembic import op
import sqlalchemy as sa

import hub.store.base


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('hours_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('technician_id', sa.String(length=64), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('work_order_id', sa.String(length=64), nullable=True),
    sa.Column('category_id', sa.String(length=64), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', hub.store.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.CheckConstraint('minutes > 0 AND minutes <= 1440', name=op.f('ck_hours_entries_minutes_in_a_day')),
    sa.CheckConstraint('(work_order_id IS NULL) <> (category_id IS NULL)', name=op.f('ck_hours_entries_one_target')),
    sa.CheckConstraint('length(trim(reason)) > 0', name=op.f('ck_hours_entries_has_reason')),
    sa.ForeignKeyConstraint(['technician_id'], ['technicians.id'],
                            name=op.f('fk_hours_entries_technician_id_technicians')),
    sa.ForeignKeyConstraint(['work_order_id'], ['work_orders.id'],
                            name=op.f('fk_hours_entries_work_order_id_work_orders')),
    sa.ForeignKeyConstraint(['category_id'], ['task_categories.id'],
                            name=op.f('fk_hours_entries_category_id_task_categories')),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_hours_entries_created_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hours_entries'))
    )
    op.create_index('ix_hours_entries_technician_day', 'hours_entries', ['technician_id', 'day'])
    op.create_table('hours_entry_voids',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', hub.store.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.CheckConstraint('length(trim(reason)) > 0', name=op.f('ck_hours_entry_voids_has_reason')),
    sa.ForeignKeyConstraint(['entry_id'], ['hours_entries.id'],
                            name=op.f('fk_hours_entry_voids_entry_id_hours_entries')),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_hours_entry_voids_created_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hours_entry_voids')),
    sa.UniqueConstraint('entry_id', name=op.f('uq_hours_entry_voids_entry_id'))
    )


def downgrade() -> None:
    op.drop_table('hours_entry_voids')
    op.drop_index('ix_hours_entries_technician_day', table_name='hours_entries')
    op.drop_table('hours_entries')
