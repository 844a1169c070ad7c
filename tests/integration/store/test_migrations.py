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
