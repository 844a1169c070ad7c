"""The migrations build the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from hub.store.engine import make_engine
from hub.store.migrate import StoreError, alembic_config, current_revision, downgrade, upgrade
from hub.store.models import Base

HEAD = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def _model_drift(url: str) -> list:
    engine = make_engine(url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    engine.dispose()
    return diff


def test_upgrade_builds_what_the_models_describe(database_url):
    assert current_revision(database_url) is None
    upgrade(database_url)
    assert current_revision(database_url) == HEAD
    assert _model_drift(database_url) == [], (
        "the models changed without a migration: write one in src/hub/store/migrations/versions"
    )


def test_downgrade_to_base_and_back(database_url):
    upgrade(database_url)
    downgrade(database_url, "base")
    assert current_revision(database_url) is None
    upgrade(database_url)
    assert _model_drift(database_url) == []


def test_a_database_from_a_newer_version_is_refused(migrated_url):
    engine = make_engine(migrated_url)
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    engine.dispose()
    with pytest.raises(StoreError, match="newer version"):
        upgrade(migrated_url)


def test_an_unreachable_database_is_a_clear_error():
    with pytest.raises(StoreError, match="cannot reach the database"):
        current_revision("postgresql://postgres@127.0.0.1:1/nowhere")


def test_0009_backfills_identities_and_names_from_what_the_files_carried(database_url):
    """Issue 17: the payroll id becomes the ADP file number and Paychex worker id, the name
    the QuickBooks employee name; given name the first word, family name the rest."""
    upgrade(database_url, "0008")
    engine = make_engine(database_url)
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO depots (id, name, timezone, lat, lon, geofence_radius_m) "
            "VALUES ('north', 'North', 'America/Chicago', 41.9, -87.7, 150)")
        for tech, name, payroll_id in (("T-1", "José Núñez Ruiz", "000001"), ("T-2", "Okafor", None)):
            connection.exec_driver_sql(
                "INSERT INTO technicians (id, name, job_title, payroll_id, wage, cost_rate, billing_rate, "
                "overtime_policy, payroll_timezone, home_depot_id, tracks_time, active) "
                "VALUES (?, ?, 'Tech', ?, 30, 40, 125, 'flsa', 'America/Chicago', 'north', true, true)"
                if database_url.startswith("sqlite") else
                "INSERT INTO technicians (id, name, job_title, payroll_id, wage, cost_rate, billing_rate, "
                "overtime_policy, payroll_timezone, home_depot_id, tracks_time, active) "
                "VALUES (%s, %s, 'Tech', %s, 30, 40, 125, 'flsa', 'America/Chicago', 'north', true, true)",
                (tech, name, payroll_id))
    upgrade(database_url)
    with engine.connect() as connection:
        names = connection.exec_driver_sql(
            "SELECT id, given_name, family_name FROM technicians ORDER BY id").all()
        identities = connection.exec_driver_sql(
            "SELECT technician_id, provider, employee_id, employee_name FROM payroll_identities "
            "ORDER BY technician_id, provider").all()
    engine.dispose()
    assert [tuple(r) for r in names] == [("T-1", "José", "Núñez Ruiz"), ("T-2", "Okafor", "")]
    assert [tuple(r) for r in identities] == [
        ("T-1", "adp", "000001", None), ("T-1", "iif", None, "José Núñez Ruiz"), ("T-1", "paychex", "000001", None),
        ("T-2", "iif", None, "Okafor")]
