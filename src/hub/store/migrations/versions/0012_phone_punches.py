"""phone punches, PINs and location policy

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 07:45:00

Issue 19: a punch has a source (kiosk, phone, supervisor); a phone's punch has no kiosk,
badge or kiosk clock (those columns become nullable), may carry the phone's position and
accuracy, and a client request id (unique) with a digest of what it said; a kiosk punch
made with a PIN has no badge; every punch may name the depot it was made at. A depot may
set its own location policy; a technician may have an argon2-hashed PIN. Roster requests:
the web asks the ingest to publish the rosters after a punch it took.

SQLite cannot drop NOT NULL in place: the punches table is rebuilt (batch mode), and its
immutability triggers, which go with the old table, are made again.
"""

from alembic import op
import sqlalchemy as sa
import hub.store.base


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

KIOSK_ONLY = (('kiosk_id', sa.String(length=64)), ('seq', sa.Integer()), ('badge_id', sa.String(length=24)),
              ('badge_family', sa.String(length=16)), ('badge_raw', sa.String(length=64)),
              ('clock_synced', sa.Boolean()), ('boot', sa.String(length=64)), ('monotonic_s', sa.Double()))


def _sqlite_triggers(create: bool) -> None:
    for change in ("update", "delete"):
        if create:
            op.execute(f"CREATE TRIGGER punches_no_{change} BEFORE {change.upper()} ON punches "
                       "BEGIN SELECT RAISE(ABORT, 'punches rows are immutable: record a correction instead'); END")
        else:
            op.execute(f"DROP TRIGGER punches_no_{change}")


def _punch_columns(nullable: bool) -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        _sqlite_triggers(create=False)
    with op.batch_alter_table('punches', recreate='always' if sqlite else 'auto') as batch:
        for name, type_ in KIOSK_ONLY:
            batch.alter_column(name, existing_type=type_, nullable=nullable)
        if nullable:
            batch.add_column(sa.Column('source', sa.String(length=16), server_default='kiosk', nullable=False))
            batch.add_column(sa.Column('depot_id', sa.String(length=64), nullable=True))
            batch.add_column(sa.Column('lat', sa.Double(), nullable=True))
            batch.add_column(sa.Column('lon', sa.Double(), nullable=True))
            batch.add_column(sa.Column('accuracy_m', sa.Double(), nullable=True))
            batch.add_column(sa.Column('request_id', sa.String(length=64), nullable=True))
            batch.add_column(sa.Column('request_digest', sa.String(length=64), nullable=True))
            batch.create_unique_constraint(batch.f('uq_punches_request_id'), ['request_id'])
            batch.create_check_constraint(batch.f('ck_punches_source_known'),
                                          "source IN ('kiosk', 'phone', 'supervisor')")
        else:
            batch.drop_constraint(batch.f('ck_punches_source_known'), type_='check')
            batch.drop_constraint(batch.f('uq_punches_request_id'), type_='unique')
            for name in ('request_digest', 'request_id', 'accuracy_m', 'lon', 'lat', 'depot_id', 'source'):
                batch.drop_column(name)
    if sqlite:
        _sqlite_triggers(create=True)


def upgrade() -> None:
    op.create_table('roster_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('technician_id', sa.String(length=64), nullable=False),
    sa.Column('requested_at', hub.store.base.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_roster_requests'))
    )
    with op.batch_alter_table('depots') as batch:
        batch.add_column(sa.Column('location_policy', sa.String(length=16), nullable=True))
    with op.batch_alter_table('technicians') as batch:
        batch.add_column(sa.Column('pin_hash', sa.String(length=200), nullable=True))
    _punch_columns(nullable=True)


def downgrade() -> None:
    """Refused while the punches hold any the kiosk columns cannot: phone and PIN punches."""
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT count(*) FROM punches WHERE kiosk_id IS NULL OR badge_id IS NULL")).scalar():
        raise RuntimeError("punches made by phone or PIN cannot be kept below revision 0012")
    _punch_columns(nullable=False)
    with op.batch_alter_table('technicians') as batch:
        batch.drop_column('pin_hash')
    with op.batch_alter_table('depots') as batch:
        batch.drop_column('location_policy')
    op.drop_table('roster_requests')
