"""Servers of the test session's own, on free ports: PostgreSQL and Redis.

Tests never use the machine's PostgreSQL or Redis: each server here lives in a
temporary folder, listens on 127.0.0.1 only and is gone when the test session
ends (``postgres`` and ``redis_server`` in ``tests/conftest.py``; the production
profile starts its own pair so it can stop and restart them).
"""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import List, Optional

from processes import free_port


def port_open(port: int) -> bool:
    """Whether something accepts TCP connections on 127.0.0.1:``port``."""
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def wait_port(port: int, timeout: float) -> None:
    """Wait until 127.0.0.1:``port`` accepts connections."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if port_open(port):
            return
        time.sleep(0.2)
    raise TimeoutError(f"nothing listens on port {port} after {timeout:.0f}s")


class PrivatePostgres:
    """A PostgreSQL cluster of our own in a temporary folder (trust auth, user postgres)."""

    def __init__(self) -> None:
        versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"), key=lambda p: int(p.split("/")[4]))
        if not versions:
            raise RuntimeError("PostgreSQL's server binaries are missing: run scripts/system-deps.sh")
        self.bin = Path(versions[-1]).parent
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="supportbot-pg-"))
        self.data = self.folder / "data"
        self.log = self.folder / "postgres.log"
        self.user: Optional[str] = "postgres" if os.geteuid() == 0 else None
        if self.user:
            account = pwd.getpwnam(self.user)
            os.chown(self.folder, account.pw_uid, account.pw_gid)
        self._run([str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                   "--no-sync"])
        self.process: Optional[subprocess.Popen] = None

    def _run(self, args: List[str]) -> None:
        completed = subprocess.run(args, user=self.user, capture_output=True, text=True, cwd=self.folder)
        if completed.returncode != 0:
            raise RuntimeError(f"{args[0]} failed: {completed.stderr}")

    @property
    def url(self) -> str:
        """Base URL for the async drivers (append the database name)."""
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}"

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        log = open(self.log, "ab")
        self.process = subprocess.Popen(
            [str(self.bin / "postgres"), "-D", str(self.data), "-p", str(self.port), "-k", str(self.folder),
             "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "max_connections=200"],
            user=self.user, stdout=log, stderr=subprocess.STDOUT, cwd=self.folder, start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            ready = subprocess.run([str(self.bin / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port)],
                                   capture_output=True)
            if ready.returncode == 0:
                return
            if self.process.poll() is not None:
                raise RuntimeError(f"postgres exited: {self.log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.2)
        raise TimeoutError("postgres did not start")

    def stop(self, immediate: bool = False) -> None:
        """Stop the server: fast shutdown, or ``immediate`` (like a crash; recovery on next start)."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGQUIT if immediate else signal.SIGINT)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)

    def close(self) -> None:
        """Stop the server and delete its files."""
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    def create_database(self, prefix: str = "test") -> str:
        """A fresh, empty database; returns its name."""
        name = f"{prefix}_{secrets.token_hex(4)}"
        self._sql(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        """Drop a database made by :meth:`create_database` (closing its connections)."""
        self._sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _sql(self, statement: str) -> None:
        import psycopg2

        connection = psycopg2.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="postgres")
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(statement)
        finally:
            connection.close()


class PrivateRedis:
    """A Redis server of our own that keeps nothing on disk."""

    def __init__(self, log_dir: Path) -> None:
        self.port = free_port()
        log_dir.mkdir(parents=True, exist_ok=True)
        self.log = log_dir / "redis.log"
        self.process: Optional[subprocess.Popen] = None

    def start(self) -> None:
        """Start the server and wait for its port."""
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=open(self.log, "ab"), stderr=subprocess.STDOUT, start_new_session=True,
        )
        wait_port(self.port, 30)

    @property
    def url(self) -> str:
        """The URL of its database 0."""
        return f"redis://127.0.0.1:{self.port}/0"

    def close(self) -> None:
        """Stop the server."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
