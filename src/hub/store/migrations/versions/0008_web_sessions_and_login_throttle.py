"""web sessions and login throttle

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 04:15:19

Web logins kept server-side (so logging out, a new password, a disabled user or "sign out
everywhere" ends them at once); failed-login counters shared by all web workers; lockouts.
"""

from alembic import op
import sqlalchemy as sa
import hub.store.base


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('login_lockouts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=16), nullable=False),
    sa.Column('subject', sa.String(length=128), nullable=False),
    sa.Column('started_at', hub.store.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('until', hub.store.base.UtcDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("scope IN ('account', 'address')", name=op.f('ck_login_lockouts_scope_known')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_lockouts'))
    )
    with op.batch_alter_table('login_lockouts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_lockouts_subject'), ['subject'], unique=False)

    op.create_table('login_throttle',
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('expires_at', sa.Double(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_login_throttle'))
    )
    op.create_table('web_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', hub.store.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('ended_at', hub.store.base.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_web_sessions_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_web_sessions')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_web_sessions_key_hash'))
    )
    with op.batch_alter_table('web_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_web_sessions_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_web_sessions_user_id'), ['user_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('web_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_web_sessions_user_id'))
        batch_op.drop_index(batch_op.f('ix_web_sessions_created_at'))

    op.drop_table('web_sessions')
    op.drop_table('login_throttle')
    with op.batch_alter_table('login_lockouts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_lockouts_subject'))

    op.drop_table('login_lockouts')
