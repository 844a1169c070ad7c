"""task categories

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 08:40:00

The company's task categories (issue 19), until now fixed in code as Shop, Training and
Admin: a table seeded with those three under the ids the records already use, so nothing
changes for existing data. A visit (a timer's) may be to a category instead of a work order.
"""

from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

SEEDED = [("non-billable:shop", "Shop"), ("non-billable:training", "Training"), ("non-billable:admin", "Admin")]


def upgrade() -> None:
    categories = op.create_table('task_categories',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('billable', sa.Boolean(), nullable=False),
    sa.Column('active_from', sa.Date(), nullable=True),
    sa.Column('active_to', sa.Date(), nullable=True),
    sa.CheckConstraint('active_to IS NULL OR active_from IS NULL OR active_to >= active_from',
                       name=op.f('ck_task_categories_active_dates_ordered')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_categories'))
    )
    op.bulk_insert(categories, [{"id": id_, "name": name, "billable": False, "active_from": None, "active_to": None}
                                for id_, name in SEEDED])
    with op.batch_alter_table('work_order_visits') as batch:
        batch.add_column(sa.Column('category_id', sa.String(length=64), nullable=True))
        batch.alter_column('work_order_id', existing_type=sa.String(length=64), nullable=True)
        batch.create_foreign_key(op.f('fk_work_order_visits_category_id_task_categories'), 'task_categories',
                                 ['category_id'], ['id'])
        batch.create_check_constraint(op.f('ck_work_order_visits_one_target'),
                                      "(work_order_id IS NULL) <> (category_id IS NULL)")


def downgrade() -> None:
    op.execute("DELETE FROM work_order_visits WHERE category_id IS NOT NULL")
    with op.batch_alter_table('work_order_visits') as batch:
        batch.drop_constraint(op.f('ck_work_order_visits_one_target'), type_='check')
        batch.drop_constraint(op.f('fk_work_order_visits_category_id_task_categories'), type_='foreignkey')
        batch.alter_column('work_order_id', existing_type=sa.String(length=64), nullable=False)
        batch.drop_column('category_id')
    op.drop_table('task_categories')
