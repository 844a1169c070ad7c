"""Run the Alembic migrations from the package, no alembic.ini needed."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.exc import OperationalError

from depotclock.errors import DepotClockError
from hub.store.engine import make_engine, normalise_url

MIGRATIONS = Path(__file__).with_name("migrations")


class StoreError(DepotClockError):
    """The database cannot be reached or is not at a revision this code knows."""


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", normalise_url(url).replace("%", "%%"))
    return config


def current_revision(url: str) -> str | None:
    """The database's revision, or None when it has no DepotClock tables yet."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    except OperationalError as exc:
        raise StoreError(f"cannot reach the database at {engine.url!r}: {exc.orig}") from None
    finally:
        engine.dispose()


def upgrade(url: str, revision: str = "head") -> None:
    """Migrate to `revision`; refuses a database newer than this code."""
    config = alembic_config(url)
    known = {script.revision for script in ScriptDirectory.from_config(config).walk_revisions()}
    current = current_revision(url)
    if current is not None and current not in known:
        raise StoreError(
            f"the database is at revision {current}, which this DepotClock does not know: "
            "it was upgraded by a newer version"
        )
    command.upgrade(config, revision)


def downgrade(url: str, revision: str) -> None:
    command.downgrade(alembic_config(url), revision)
