"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-22 13:00:11.632075

Raw device events and corrections are immutable: triggers refuse UPDATE and DELETE.
"""

from alembic import op
import sqlalchemy as sa
import hub.store.base

IMMUTABLE = ("punches", "telemetry_events", "unknown_badge_reads", "corrections")


def _refuse_changes() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION depotclock_immutable() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION '% rows are immutable: record a correction instead', "
            "TG_TABLE_NAME; END $$"
        )
        for table in IMMUTABLE:
            op.execute(
                f"CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION depotclock_immutable()"
            )
        return
    for table in IMMUTABLE:
        for change in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{change.lower()} BEFORE {change} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} rows are immutable: "
                "record a correction instead'); END"
            )


def _allow_changes() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in IMMUTABLE:
            op.execute(f"DROP TRIGGER {table}_immutable ON {table}")
        op.execute("DROP FUNCTION depotclock_immutable()")
        return
    for table in IMMUTABLE:
        for change in ("update", "delete"):
            op.execute(f"DROP TRIGGER {table}_no_{change}")


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('dead_letters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('received_at', hub.store.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('topic', sa.String(length=255), nullable=False),
    sa.Column('payload', sa.LargeBinary(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dead_letters'))
    )
    with op.batch_alter_table('dead_letters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dead_letters_received_at'), ['received_at'], unique=False)

    op.create_table('depots',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=True),
    sa.Column('lat', sa.Double(), nullable=False),
    sa.Column('lon', sa.Double(), nullable=False),
    sa.Column('geofence_radius_m', sa.Double(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_depots'))
    )
    op.create_table('device_status',
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('device_id', sa.String(length=64), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('last_seen', hub.store.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('backlog', sa.Integer(), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('kind', 'device_id', name=op.f('pk_device_status'))
    )
    op.create_table('punches',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('kiosk_id', sa.String(length=64), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('at', hub.store.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('utc_offset_min', sa.Integer(), nullable=False),
    sa.Column('received_at', hub.store.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('badge_id', sa.String(length=24), nullable=False),
    sa.Column('badge_family', sa.String(length=16), nullable=False),
    sa.Column('badge_raw', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('break_kind', sa.String(length=8), nullable=True),
    sa.Column('technician_id', sa.String(length=64), nullable=True),
    sa.Column('clock_synced', sa.Boolean(), nullable=False),
    sa.Column('boot', sa.String(length=64), nullable=False),
    sa.Column('monotonic_s', sa.Double(), nullable=False),
    sa.Column('flags', sa.JSON(), nullable=False),
    sa.CheckConstraint("action IN ('clock_in', 'clock_out', 'break_start', 'break_end')", name=op.f('ck_punches_action_known')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_punches'))
    )
    with op.batch_alter_table('punches', schema=None) as batch_op:
        batch_op.create_index('ix_punches_kiosk_seq', ['kiosk_id', 'seq'], unique=False)
        batch_op.create_index('ix_punches_technician_at', ['technician_id', 'at'], unique=False)

    op.create_table('telemetry_events',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('vehicle_id', sa.String(length=64), nullable=False),
    sa.Column('batch_id', sa.Uuid(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('at', hub.store.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('utc_offset_min', sa.Integer(), nullable=False),
    sa.Column('received_at', hub.store.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('type', sa.String(length=8), nullable=False),
    sa.Column('ignition_on', sa.Boolean(), nullable=True),
    sa.Column('lat', sa.Double(), nullable=True),
    sa.Column('lon', sa.Double(), nullable=True),
    sa.Column('speed_kmh', sa.Double(), nullable=True),
    sa.Column('heading_deg', sa.Double(), nullable=True),
    sa.Column('accuracy_m', sa.Double(), nullable=True),
    sa.Column('badge_id', sa.String(length=24), nullable=True),
    sa.CheckConstraint("type IN ('ignition', 'fix', 'driver')", name=op.f('ck_telemetry_events_type_known')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_telemetry_events'))
    )
    with op.batch_alter_table('telemetry_events', schema=None) as batch_op:
        batch_op.create_index('ix_telemetry_vehicle_at', ['vehicle_id', 'at'], unique=False)

    op.create_table('unknown_badge_reads',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('kiosk_id', sa.String(length=64), nullable=False),
    sa.Column('at', hub.store.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('received_at', hub.store.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('badge_id', sa.String(length=24), nullable=False),
    sa.Column('badge_family', sa.String(length=16), nullable=False),
    sa.Column('badge_raw', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unknown_badge_reads'))
    )
    with op.batch_alter_table('unknown_badge_reads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_unknown_badge_reads_badge_id'), ['badge_id'], unique=False)

    op.create_table('kiosks',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('depot_id', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['depot_id'], ['depots.id'], name=op.f('fk_kiosks_depot_id_depots')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kiosks'))
    )
    with op.batch_alter_table('kiosks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kiosks_depot_id'), ['depot_id'], unique=False)

    op.create_table('technicians',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('job_title', sa.String(length=120), nullable=False),
    sa.Column('payroll_id', sa.String(length=64), nullable=True),
    sa.Column('wage', sa.Numeric(precision=12, scale=4), nullable=False),
    sa.Column('cost_rate', sa.Numeric(precision=12, scale=4), nullable=False),
    sa.Column('billing_rate', sa.Numeric(precision=12, scale=4), nullable=False),
    sa.Column('overtime_policy', sa.String(length=64), nullable=False),
    sa.Column('payroll_timezone', sa.String(length=64), nullable=False),
    sa.Column('home_depot_id', sa.String(length=64), nullable=False),
    sa.Column('tracks_time', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.CheckConstraint('wage >= 0', name=op.f('ck_technicians_wage_not_negative')),
    sa.ForeignKeyConstraint(['home_depot_id'], ['depots.id'], name=op.f('fk_technicians_home_depot_id_depots')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_technicians')),
    sa.UniqueConstraint('payroll_id', name=op.f('uq_technicians_payroll_id'))
    )
    op.create_table('vehicles',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('plate', sa.String(length=20), nullable=True),
    sa.Column('depot_id', sa.String(length=64), nullable=False),
    sa.Column('leg_source', sa.String(length=16), nullable=False),
    sa.CheckConstraint("leg_source IN ('ignition', 'motion')", name=op.f('ck_vehicles_leg_source_known')),
    sa.ForeignKeyConstraint(['depot_id'], ['depots.id'], name=op.f('fk_vehicles_depot_id_depots')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vehicles'))
    )
    with op.batch_alter_table('vehicles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vehicles_depot_id'), ['depot_id'], unique=False)

    op.create_table('work_orders',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('customer', sa.String(length=200), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('site_address', sa.String(length=300), nullable=True),
    sa.Column('lat', sa.Double(), nullable=True),
    sa.Column('lon', sa.Double(), nullable=True),
    sa.Column('radius_m', sa.Double(), nullable=False),
    sa.Column('billable', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('depot_id', sa.String(length=64), nullable=False),
    sa.CheckConstraint('radius_m > 0', name=op.f('ck_work_orders_radius_positive')),
    sa.ForeignKeyConstraint(['depot_id'], ['depots.id'], name=op.f('fk_work_orders_depot_id_depots')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_work_orders'))
    )
    with op.batch_alter_table('work_orders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_work_orders_depot_id'), ['depot_id'], unique=False)

    op.create_table('badges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('badge_id', sa.String(length=24), nullable=False),
    sa.Column('technician_id', sa.String(length=64), nullable=False),
    sa.Column('family', sa.String(length=16), nullable=False),
    sa.Column('raw', sa.String(length=64), nullable=False),
    sa.Column('active_from', hub.store.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('active_to', hub.store.base.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['technician_id'], ['technicians.id'], name=op.f('fk_badges_technician_id_technicians')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_badges')),
    sa.UniqueConstraint('badge_id', 'active_from', name=op.f('uq_badges_badge_id'))
    )
    with op.batch_alter_table('badges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_badges_badge_id'), ['badge_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_badges_technician_id'), ['technician_id'], unique=False)

    op.create_table('drive_legs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vehicle_id', sa.String(length=64), nullable=False),
    sa.Column('technician_id', sa.String(length=64), nullable=True),
    sa.Column('driver_source', sa.String(length=16), nullable=True),
    sa.Column('start_at', hub.store.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('end_at', hub.store.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('start_lat', sa.Double(), nullable=True),
    sa.Column('start_lon', sa.Double(), nullable=True),
    sa.Column('end_lat', sa.Double(), nullable=True),
    sa.Column('end_lon', sa.Double(), nullable=True),
    sa.Column('distance_km', sa.Double(), nullable=False),
    sa.Column('origin_kind', sa.String(length=8), nullable=False),
    sa.Column('origin_ref', sa.String(length=64), nullable=True),
    sa.Column('destination_kind', sa.String(length=8), nullable=False),
    sa.Column('destination_ref', sa.String(length=64), nullable=True),
    sa.Column('work_order_id', sa.String(length=64), nullable=True),
    sa.Column('work_order_source', sa.String(length=16), nullable=True),
    sa.Column('built_at', hub.store.base.UtcDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("destination_kind IN ('depot', 'site', 'home', 'other')", name=op.f('ck_drive_legs_destination_kind_known')),
    sa.CheckConstraint("origin_kind IN ('depot', 'site', 'home', 'other')", name=op.f('ck_drive_legs_origin_kind_known')),
    sa.CheckConstraint('end_at >= start_at', name=op.f('ck_drive_legs_ends_after_start')),
    sa.ForeignKeyConstraint(['technician_id'], ['technicians.id'], name=op.f('fk_drive_legs_technician_id_technicians')),
    sa.ForeignKeyConstraint(['vehicle_id'], ['vehicles.id'], name=op.f('fk_drive_legs_vehicle_id_vehicles')),
    sa.ForeignKeyConstraint(['work_order_id'], ['work_orders.id'], name=op.f('fk_drive_legs_work_order_id_work_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_drive_legs'))
    )
    with op.batch_alter_table('drive_legs', schema=None) as batch_op:
        batch_op.create_index('ix_drive_legs_technician_start', ['technician_id', 'start_at'], unique=False)
        batch_op.create_index('ix_drive_legs_vehicle_start', ['vehicle_id', 'start_at'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('technician_id', sa.String(length=64), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', hub.store.base.UtcDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("role IN ('technician', 'supervisor', 'payroll', 'admin')", name=op.f('ck_users_role_known')),
    sa.ForeignKeyConstraint(['technician_id'], ['technicians.id'], name=op.f('fk_users_technician_id_technicians')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    op.create_table('vehicle_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vehicle_id', sa.String(length=64), nullable=False),
    sa.Column('technician_id', sa.String(length=64), nullable=False),
    sa.Column('starts_at', hub.store.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', hub.store.base.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['technician_id'], ['technicians.id'], name=op.f('fk_vehicle_assignments_technician_id_technicians')),
    sa.ForeignKeyConstraint(['vehicle_id'], ['vehicles.id'], name=op.f('fk_vehicle_assignments_vehicle_id_vehicles')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vehicle_assignments'))
    )
    with op.batch_alter_table('vehicle_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vehicle_assignments_technician_id'), ['technician_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_vehicle_assignments_vehicle_id'), ['vehicle_id'], unique=False)

    op.create_table('work_order_assignments',
    sa.Column('work_order_id', sa.String(length=64), nullable=False),
    sa.Column('technician_id', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['technician_id'], ['technicians.id'], name=op.f('fk_work_order_assignments_technician_id_technicians')),
    sa.ForeignKeyConstraint(['work_order_id'], ['work_orders.id'], name=op.f('fk_work_order_assignments_work_order_id_work_orders')),
    sa.PrimaryKeyConstraint('work_order_id', 'technician_id', name=op.f('pk_work_order_assignments'))
    )
    op.create_table('work_order_visits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.String(length=64), nullable=False),
    sa.Column('technician_id', sa.String(length=64), nullable=False),
    sa.Column('work_order_id', sa.String(length=64), nullable=False),
    sa.Column('check_in_at', hub.store.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('check_out_at', hub.store.base.UtcDateTime(timezone=True), nullable=True),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('next_status', sa.String(length=32), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['technician_id'], ['technicians.id'], name=op.f('fk_work_order_visits_technician_id_technicians')),
    sa.ForeignKeyConstraint(['work_order_id'], ['work_orders.id'], name=op.f('fk_work_order_visits_work_order_id_work_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_work_order_visits')),
    sa.UniqueConstraint('request_id', name=op.f('uq_work_order_visits_request_id'))
    )
    with op.batch_alter_table('work_order_visits', schema=None) as batch_op:
        batch_op.create_index('ix_visits_technician_in', ['technician_id', 'check_in_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_work_order_visits_work_order_id'), ['work_order_id'], unique=False)

    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('token_hash', sa.String(length=128), nullable=False),
    sa.Column('created_at', hub.store.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', hub.store.base.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_tokens_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('corrections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('technician_id', sa.String(length=64), nullable=False),
    sa.Column('created_at', hub.store.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('replaces_type', sa.String(length=32), nullable=True),
    sa.Column('replaces_id', sa.String(length=64), nullable=True),
    sa.Column('values', sa.JSON(), nullable=False),
    sa.CheckConstraint('length(trim(reason)) > 0', name=op.f('ck_corrections_has_reason')),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_corrections_created_by_users')),
    sa.ForeignKeyConstraint(['technician_id'], ['technicians.id'], name=op.f('fk_corrections_technician_id_technicians')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_corrections'))
    )
    with op.batch_alter_table('corrections', schema=None) as batch_op:
        batch_op.create_index('ix_corrections_replaces', ['replaces_type', 'replaces_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_corrections_technician_id'), ['technician_id'], unique=False)

    op.create_table('pay_period_locks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('locked_by', sa.Integer(), nullable=False),
    sa.Column('locked_at', hub.store.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('unlocked_by', sa.Integer(), nullable=True),
    sa.Column('unlocked_at', hub.store.base.UtcDateTime(timezone=True), nullable=True),
    sa.Column('unlock_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['locked_by'], ['users.id'], name=op.f('fk_pay_period_locks_locked_by_users')),
    sa.ForeignKeyConstraint(['unlocked_by'], ['users.id'], name=op.f('fk_pay_period_locks_unlocked_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pay_period_locks')),
    sa.UniqueConstraint('period_start', 'locked_at', name=op.f('uq_pay_period_locks_period_start'))
    )
    op.create_table('timesheet_approvals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('technician_id', sa.String(length=64), nullable=False),
    sa.Column('week_start', sa.Date(), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('decision', sa.String(length=16), nullable=False),
    sa.Column('decided_by', sa.Integer(), nullable=False),
    sa.Column('decided_at', hub.store.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.CheckConstraint("decision IN ('submitted', 'approved', 'rejected', 'voided')", name=op.f('ck_timesheet_approvals_decision_known')),
    sa.ForeignKeyConstraint(['decided_by'], ['users.id'], name=op.f('fk_timesheet_approvals_decided_by_users')),
    sa.ForeignKeyConstraint(['technician_id'], ['technicians.id'], name=op.f('fk_timesheet_approvals_technician_id_technicians')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_timesheet_approvals'))
    )
    with op.batch_alter_table('timesheet_approvals', schema=None) as batch_op:
        batch_op.create_index('ix_approvals_technician_week', ['technician_id', 'week_start'], unique=False)

    op.create_table('user_depots',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('depot_id', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['depot_id'], ['depots.id'], name=op.f('fk_user_depots_depot_id_depots')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_depots_user_id_users')),
    sa.PrimaryKeyConstraint('user_id', 'depot_id', name=op.f('pk_user_depots'))
    )

    _refuse_changes()


def downgrade() -> None:
    _allow_changes()
    op.drop_table('user_depots')
    with op.batch_alter_table('timesheet_approvals', schema=None) as batch_op:
        batch_op.drop_index('ix_approvals_technician_week')

    op.drop_table('timesheet_approvals')
    op.drop_table('pay_period_locks')
    with op.batch_alter_table('corrections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_corrections_technician_id'))
        batch_op.drop_index('ix_corrections_replaces')

    op.drop_table('corrections')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_user_id'))

    op.drop_table('api_tokens')
    with op.batch_alter_table('work_order_visits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_work_order_visits_work_order_id'))
        batch_op.drop_index('ix_visits_technician_in')

    op.drop_table('work_order_visits')
    op.drop_table('work_order_assignments')
    with op.batch_alter_table('vehicle_assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vehicle_assignments_vehicle_id'))
        batch_op.drop_index(batch_op.f('ix_vehicle_assignments_technician_id'))

    op.drop_table('vehicle_assignments')
    op.drop_table('users')
    with op.batch_alter_table('drive_legs', schema=None) as batch_op:
        batch_op.drop_index('ix_drive_legs_vehicle_start')
        batch_op.drop_index('ix_drive_legs_technician_start')

    op.drop_table('drive_legs')
    with op.batch_alter_table('badges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_badges_technician_id'))
        batch_op.drop_index(batch_op.f('ix_badges_badge_id'))

    op.drop_table('badges')
    with op.batch_alter_table('work_orders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_work_orders_depot_id'))

    op.drop_table('work_orders')
    with op.batch_alter_table('vehicles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vehicles_depot_id'))

    op.drop_table('vehicles')
    op.drop_table('technicians')
    with op.batch_alter_table('kiosks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kiosks_depot_id'))

    op.drop_table('kiosks')
    with op.batch_alter_table('unknown_badge_reads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_unknown_badge_reads_badge_id'))

    op.drop_table('unknown_badge_reads')
    with op.batch_alter_table('telemetry_events', schema=None) as batch_op:
        batch_op.drop_index('ix_telemetry_vehicle_at')

    op.drop_table('telemetry_events')
    with op.batch_alter_table('punches', schema=None) as batch_op:
        batch_op.drop_index('ix_punches_technician_at')
        batch_op.drop_index('ix_punches_kiosk_seq')

    op.drop_table('punches')
    op.drop_table('device_status')
    op.drop_table('depots')
    with op.batch_alter_table('dead_letters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dead_letters_received_at'))

    op.drop_table('dead_letters')
