"""Alembic environment: runs on the connection parkwatch hands over (see archive.db.upgrade)."""

from alembic import context
from sqlalchemy import create_engine, event

from archive.models import Base, include_object
from archive.search_syntax import register_sqlite_functions

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=connection.dialect.name == "sqlite",
                          include_object=include_object)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(config.attributes.get("database_url")
                           or config.get_main_option("sqlalchemy.url"))
    if engine.dialect.name == "sqlite":  # the full-text triggers call it (0007)
        event.listen(engine, "connect", lambda conn, _: register_sqlite_functions(conn))
    with engine.begin() as conn:
        context.configure(connection=conn, target_metadata=target_metadata,
                          render_as_batch=conn.dialect.name == "sqlite",
                          include_object=include_object)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"),
                      target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
