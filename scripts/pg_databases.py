"""Create the production profile's PostgreSQL databases if they do not exist yet.

Usage: ``python scripts/pg_databases.py URL [URL ...]`` with SQLAlchemy URLs
(``postgresql+asyncpg://user@host:port/name``). Each database is created by
logging in to the server's ``postgres`` database with the same credentials.
Rasa's tracker database is created by Rasa itself (``login_db``).
"""

from __future__ import annotations

import asyncio
import sys
from typing import List

import asyncpg
from sqlalchemy.engine import make_url


async def ensure(url_text: str) -> str:
    """Create the database named by ``url_text`` unless it exists; returns what was done."""
    url = make_url(url_text)
    if url.get_backend_name() != "postgresql" or not url.database:
        raise SystemExit(f"not a PostgreSQL URL with a database name: {url.render_as_string(hide_password=True)}")
    connection = await asyncpg.connect(
        host=url.host or "127.0.0.1", port=url.port or 5432, user=url.username, password=url.password,
        database="postgres", timeout=10,
    )
    try:
        exists = await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", url.database)
        if exists:
            return f"{url.database}: exists"
        quoted = '"' + url.database.replace('"', '""') + '"'
        await connection.execute(f"CREATE DATABASE {quoted}")
        return f"{url.database}: created"
    finally:
        await connection.close()


async def main(urls: List[str]) -> None:
    """Ensure every database in ``urls``."""
    for url in urls:
        print(await ensure(url))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    asyncio.run(main(sys.argv[1:]))
