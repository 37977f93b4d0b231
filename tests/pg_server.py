"""The machine's PostgreSQL for tests (127.0.0.1:5432, trust auth): one fresh database per test."""

from __future__ import annotations

POSTGRES_ADMIN = {"host": "127.0.0.1", "port": 5432, "user": "postgres", "dbname": "test"}


def postgres_reachable() -> bool:
    """Whether the test PostgreSQL (127.0.0.1:5432, trust auth) answers."""
    try:
        import psycopg2

        psycopg2.connect(connect_timeout=2, **POSTGRES_ADMIN).close()
        return True
    except Exception:
        return False


def create_postgres_database(prefix: str = "desk_test") -> str:
    """A fresh, empty database on the test server; returns its name."""
    import secrets

    import psycopg2

    name = f"{prefix}_{secrets.token_hex(4)}"
    connection = psycopg2.connect(**POSTGRES_ADMIN)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    return name


def drop_postgres_database(name: str) -> None:
    """Drop a database made by :func:`create_postgres_database`."""
    import psycopg2

    connection = psycopg2.connect(**POSTGRES_ADMIN)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    connection.close()
