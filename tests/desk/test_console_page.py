"""The console's files are served with strict headers and never put data in as HTML."""

from __future__ import annotations

import json
import re

import pytest

from desk.console.views import STATIC_DIR


async def test_console_page_is_served(desk_app):
    _, page = await desk_app.asgi_client.get("/console")
    assert page.status == 200 and page.headers["content-type"].startswith("text/html")
    assert 'lang="ko"' in page.text and "상담 데스크" in page.text
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert page.headers["x-frame-options"] == "DENY"
    for asset, kind in (("console.js", "javascript"), ("console.css", "text/css")):
        _, response = await desk_app.asgi_client.get(f"/console/static/{asset}")
        assert response.status == 200 and kind in response.headers["content-type"]


async def test_the_page_takes_the_contracts_words_and_limits_from_the_desk(desk_app):
    """The statuses, their labels and the reply limit are the contract's, put in when the desk starts."""
    from contract.vocabulary import CATEGORIES, MAX_REPLY, OPEN_STATUSES, STATUSES

    _, response = await desk_app.asgi_client.get("/console")
    page = response.text
    assert "$" not in page, "no placeholder is left"
    block = re.search(r'<script id="vocabulary" type="application/json">(.*?)</script>', page).group(1)
    vocabulary = json.loads(block)
    assert vocabulary["open_statuses"] == list(OPEN_STATUSES)
    assert list(vocabulary["labels"]["status"]) == list(STATUSES)
    assert list(vocabulary["labels"]["category"]) == list(CATEGORIES)
    options = re.findall(r'<option value="([^"]*)"', page)
    assert options == [",".join(OPEN_STATUSES), *STATUSES, ""]
    assert f'maxlength="{MAX_REPLY}"' in page


def test_labels_that_do_not_match_the_contract_stop_the_desk(monkeypatch):
    import importlib

    import contract.vocabulary as vocabulary
    from desk.console import labels

    monkeypatch.setattr(vocabulary, "STATUSES", vocabulary.STATUSES + ("escalated",))
    try:
        with pytest.raises(RuntimeError, match="escalated"):
            importlib.reload(labels)
    finally:
        monkeypatch.undo()
        importlib.reload(labels)


async def test_static_folder_does_not_escape(desk_app):
    for path in ("/console/static/../views.py", "/console/static/%2e%2e/views.py", "/console/static/nothing.js"):
        _, response = await desk_app.asgi_client.get(path)
        assert response.status == 404


def test_script_never_writes_html():
    script = (STATIC_DIR / "console.js").read_text(encoding="utf-8")
    assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(", script)
    page = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "style=" not in page and "onclick" not in page.lower()


async def test_api_answers_are_not_cached(desk_app, auth):
    _, response = await desk_app.asgi_client.get("/api/tickets", headers=auth)
    assert response.headers["cache-control"] == "no-store"


async def test_unknown_routes_answer_json(desk_app):
    _, response = await desk_app.asgi_client.get("/api/nothing-here")
    assert response.status == 404 and "error" in response.json
