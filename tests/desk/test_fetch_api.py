"""Fetching a photo by URL: allowed hosts only, with size and time limits."""

from __future__ import annotations

import asyncio

import pytest
from aiohttp import web

from deskkit import create_ticket, gps_jpeg, image_bytes, opened
from local_servers import stand_in
from desk.attachments import views as attachment_views
from desk.attachments.images import MAX_BYTES


async def _photo(_request):
    return web.Response(body=gps_jpeg(), content_type="image/jpeg")


async def _endless(request):
    response = web.StreamResponse()
    await response.prepare(request)
    chunk = b"\x00" * 65536
    for _ in range(MAX_BYTES // len(chunk) + 10):
        await response.write(chunk)
    return response


async def _declared_huge(_request):
    return web.Response(body=b"\x00" * (MAX_BYTES + 1), content_type="image/jpeg")


async def _slow(_request):
    await asyncio.sleep(3)
    return web.Response(body=image_bytes(), content_type="image/jpeg")


async def _redirect(_request):
    raise web.HTTPFound("/photo.jpg")


async def _html(_request):
    return web.Response(text="<html>not an image</html>", content_type="image/jpeg")


@pytest.fixture
async def image_host():
    routes = [
        web.get("/photo.jpg", _photo),
        web.get("/endless", _endless),
        web.get("/huge", _declared_huge),
        web.get("/slow", _slow),
        web.get("/redirect", _redirect),
        web.get("/page", _html),
    ]
    async with stand_in(routes) as url:
        yield url


async def fetch(app, headers, body):
    _, response = await app.asgi_client.post("/api/attachments/fetch", json=body, headers=headers)
    return response


async def test_fetch_stores_a_clean_photo_on_a_ticket(desk_app, auth, image_host):
    number = (await create_ticket(desk_app, auth))["number"]
    response = await fetch(desk_app, auth, {"url": f"{image_host}/photo.jpg", "ticket_number": number})
    assert response.status == 201, response.text
    assert response.json["content_type"] == "image/jpeg"
    _, full = await desk_app.asgi_client.get(response.json["url"], headers=auth)
    assert len(opened(full.content).getexif()) == 0
    _, ticket = await desk_app.asgi_client.get(f"/api/tickets/{number}", headers=auth)
    assert [a["id"] for a in ticket.json["attachments"]] == [response.json["id"]]


async def test_localhost_name_is_allowed_too(desk_app, auth, image_host):
    url = image_host.replace("127.0.0.1", "localhost") + "/photo.jpg"
    response = await fetch(desk_app, auth, {"url": url})
    assert response.status == 201


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/photo.jpg",
        "http://169.254.169.254/latest/meta-data",
        "file:///etc/passwd",
        "ftp://127.0.0.1/photo.jpg",
        "http://user:secret@127.0.0.1/photo.jpg",
        "http://127.0.0.1.example.com/photo.jpg",
        "http://127.0.0.1:notaport/x",
        "not a url",
    ],
)
async def test_hosts_outside_the_list_are_refused(desk_app, auth, url):
    response = await fetch(desk_app, auth, {"url": url})
    assert response.status == 400 and response.json["error"]["code"] == "url_not_allowed"


@pytest.mark.parametrize(
    "path, status, code",
    [
        ("/endless", 413, "file_too_large"),
        ("/huge", 413, "file_too_large"),
        ("/redirect", 422, "fetch_failed"),
        ("/missing", 422, "fetch_failed"),
        ("/page", 415, "unsupported_image"),
    ],
)
async def test_bad_downloads_are_refused(desk_app, auth, image_host, settings, path, status, code):
    response = await fetch(desk_app, auth, {"url": f"{image_host}{path}"})
    assert (response.status, response.json["error"]["code"]) == (status, code)
    assert not settings.storage_dir.exists() or not any(settings.storage_dir.iterdir())


async def test_slow_host_times_out(desk_app, auth, image_host, monkeypatch):
    monkeypatch.setattr(attachment_views, "FETCH_TIMEOUT_SECONDS", 0.3)
    response = await fetch(desk_app, auth, {"url": f"{image_host}/slow"})
    assert response.status == 422 and response.json["error"]["code"] == "fetch_timeout"


async def test_unreachable_host_is_a_422(desk_app, auth, unused_tcp_port):
    response = await fetch(desk_app, auth, {"url": f"http://127.0.0.1:{unused_tcp_port}/photo.jpg"})
    assert response.status == 422 and response.json["error"]["code"] == "fetch_failed"


async def test_unknown_ticket_is_a_404_before_downloading(desk_app, auth, image_host):
    response = await fetch(desk_app, auth, {"url": f"{image_host}/photo.jpg", "ticket_number": "T-20991231-9999"})
    assert response.status == 404


@pytest.mark.parametrize("body", [{}, {"url": 5}, {"url": "http://127.0.0.1/x", "extra": 1}])
async def test_malformed_fetch_requests(desk_app, auth, body):
    response = await fetch(desk_app, auth, body)
    assert response.status == 422 and response.json["error"]["code"] == "invalid_fetch"


async def test_fetch_needs_the_service_token(desk_app, session_headers, image_host):
    response = await fetch(desk_app, session_headers, {"url": f"{image_host}/photo.jpg"})
    assert response.status == 401
