"""Alembic environment: the URL comes from the Config our migrate module builds."""

from alembic import context

from hub.store.engine import make_engine
from hub.store.models import Base

config = context.config


def run_migrations() -> None:
    engine = make_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations()
