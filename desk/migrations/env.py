"""Alembic environment: runs migrations online with a synchronous engine."""

from alembic import context
from sqlalchemy import engine_from_config, pool

from desk.models import Base

config = context.config


def run_migrations_online() -> None:
    """Run the migrations inside one transaction per connection."""
    connectable = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with connectable.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
    connectable.dispose()


run_migrations_online()
