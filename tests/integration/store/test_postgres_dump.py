"""The README's PostgreSQL backup works as written: pg_dump --format=custom of a live hub
database, pg_restore into a new empty database, and the hub finds its data there at the
same revision, raw records still immutable."""

from __future__ import annotations

import subprocess
from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DatabaseError

from hub.ingest.store_batch import Received, store_batch
from hub.store.engine import make_engine
from hub.store.migrate import current_revision
from hub.store.models import Punch
from tests.integration.ingest.messages import punch

pytestmark = pytest.mark.postgres

NOW = datetime(2026, 3, 2, 14, 0, tzinfo=timezone.utc)


def test_pg_dump_and_pg_restore_as_the_readme_says(postgres_databases, tmp_path):
    source = postgres_databases.migrated()
    engine = make_engine(source)
    store_batch(engine, [Received(*punch(seq), NOW) for seq in range(1, 51)], NOW)
    engine.dispose()
    dump = tmp_path / "hub.dump"
    subprocess.run(["pg_dump", "--format=custom", f"--file={dump}", source], check=True)

    restored = postgres_databases.create()
    subprocess.run(["pg_restore", f"--dbname={restored}", "--no-owner", str(dump)], check=True)

    assert current_revision(restored) == current_revision(source)
    engine = make_engine(restored)
    try:
        with engine.connect() as connection:
            assert connection.scalar(select(func.count()).select_from(Punch)) == 50
        with pytest.raises(DatabaseError, match="immutable"), engine.begin() as connection:
            connection.execute(text("DELETE FROM punches"))  # the triggers came too
    finally:
        engine.dispose()
