"""dead letter digest

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 06:40:00

A dead letter is kept once however often the broker delivers it again (an ingest process
killed before acknowledging it): the SHA-256 of its topic and bytes, unique. Letters kept
before this revision have none (NULLs never collide).
"""

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('dead_letters', schema=None) as batch_op:
        batch_op.add_column(sa.Column('digest', sa.LargeBinary(length=32), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_dead_letters_digest'), ['digest'])


def downgrade() -> None:
    with op.batch_alter_table('dead_letters', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_dead_letters_digest'), type_='unique')
        batch_op.drop_column('digest')
