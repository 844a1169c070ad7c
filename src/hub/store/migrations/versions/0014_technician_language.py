"""technician language

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 08:40:00

The language a technician's pages and emails are in (issue 19): 'en' or 'es', or none to
follow the browser's Accept-Language.
"""

from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        # a column added in place: a batch rebuild would drop a table that payroll identities,
        # badges and punches point at, which SQLite's foreign keys refuse
        op.execute("ALTER TABLE technicians ADD COLUMN language VARCHAR(8) "
                   "CONSTRAINT ck_technicians_language_known CHECK (language IN ('en', 'es'))")
        return
    op.add_column('technicians', sa.Column('language', sa.String(length=8), nullable=True))
    op.create_check_constraint(op.f('ck_technicians_language_known'), 'technicians', "language IN ('en', 'es')")


def downgrade() -> None:
    with op.batch_alter_table('technicians') as batch:
        batch.drop_constraint(op.f('ck_technicians_language_known'), type_='check')
        batch.drop_column('language')
