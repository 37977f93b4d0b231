"""The production profile, started once for the production tests (marker ``production``)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

import pytest

from processes import Processes, wait_http
from prodkit import PrivatePostgres, PrivateRedis, ProdStack, prepare, prod_env

MODEL = Path(__file__).resolve().parents[2] / "models" / "support-bot.tar.gz"
# Messenger's secrets in the production tests (the channel reads them from the environment)
MESSENGER_ENV = {
    "FB_APP_SECRET": "prod-test-app-secret-0123456789",
    "FB_VERIFY_TOKEN": "prod-test-verify-token",
    "FB_PAGE_ACCESS_TOKEN": "prod-test-page-access-token",
}


def pytest_collection_modifyitems(items) -> None:
    """Every test in this folder is a production test."""
    here = str(Path(__file__).parent)
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.production)


@pytest.fixture(scope="session")
def prod(tmp_path_factory, graph_api) -> Iterator[ProdStack]:
    """HAProxy, two Rasa servers, two action servers and the desk on a private PostgreSQL and Redis."""
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make model` first (make test does)")
    work = tmp_path_factory.mktemp("prod")
    group = Processes(tmp_path_factory.mktemp("prod-logs"))
    pg = PrivatePostgres()
    redis = PrivateRedis(group.log_dir)
    try:
        pg.start()
        redis.start()
        env = prod_env(pg, redis, work, {**MESSENGER_ENV, "FB_GRAPH_API_URL": graph_api.url,
                                         "LB_RATE_LIMIT": os.environ.get("PROD_TEST_RATE_LIMIT", "100000")})
        prepare(env)
        stack = ProdStack(group, env)
        stack.pg, stack.redis = pg, redis
        for name in ("lb", "desk", "actions1", "actions2", "rasa1", "rasa2"):
            stack.start(name)
        for name in ("desk", "actions1", "actions2", "rasa1", "rasa2", "lb"):
            stack.wait_ready(name)
        # HAProxy's socket.io backend has its own health checks: wait until it has servers too
        wait_http(f"{stack.url}/socket.io/?EIO=4&transport=polling", 60)
        yield stack
    finally:
        group.stop_all()
        redis.close()
        pg.close()
