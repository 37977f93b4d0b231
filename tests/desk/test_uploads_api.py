"""Photo uploads: accepted formats, hostile files, metadata stripping, thumbnails, serving."""

from __future__ import annotations

import io
import os

import pytest
from PIL import Image

from deskkit import (
    PAYLOAD_MARKER,
    create_ticket,
    gps_jpeg,
    image_bytes,
    opened,
    png_bomb,
    polyglot_jpeg,
    truncated_jpeg,
    upload,
)
from desk.attachments.images import MAX_BYTES


@pytest.mark.parametrize(
    "fmt, content_type",
    [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp")],
)
async def test_images_are_stored_with_a_thumbnail(desk_app, auth, settings, fmt, content_type):
    response = await upload(desk_app, auth, image_bytes(fmt, size=(800, 600)), "x.bin", "application/octet-stream")
    assert response.status == 201, response.text
    body = response.json
    assert (body["content_type"], body["width"], body["height"]) == (content_type, 800, 600)
    assert body["url"] == f"/api/attachments/{body['id']}"
    assert body["thumbnail_url"] == f"/api/attachments/{body['id']}/thumbnail"
    assert len(body["id"]) >= 32

    _, full = await desk_app.asgi_client.get(body["url"], headers=auth)
    assert full.status == 200 and full.headers["content-type"] == content_type
    assert full.headers["x-content-type-options"] == "nosniff"
    assert opened(full.content).size == (800, 600)

    _, thumb = await desk_app.asgi_client.get(body["thumbnail_url"], headers=auth)
    assert thumb.status == 200 and thumb.headers["content-type"] == "image/webp"
    assert opened(thumb.content).size == (320, 240)

    stored = sorted(os.listdir(settings.storage_dir))
    assert stored == sorted([body["id"], f"{body['id']}.thumb"])


async def test_gps_exif_is_stripped(desk_app, auth):
    original = opened(gps_jpeg())
    assert 0x8825 in original.getexif()  # the fixture really has GPS
    body = (await upload(desk_app, auth, gps_jpeg())).json
    _, full = await desk_app.asgi_client.get(body["url"], headers=auth)
    cleaned = opened(full.content)
    assert len(cleaned.getexif()) == 0
    assert "exif" not in cleaned.info
    assert b"Secret Phone" not in full.content


async def test_polyglot_payload_is_dropped(desk_app, auth):
    response = await upload(desk_app, auth, polyglot_jpeg(), "cat.html", "text/html")
    assert response.status == 201
    _, full = await desk_app.asgi_client.get(response.json["url"], headers=auth)
    assert PAYLOAD_MARKER not in full.content
    assert b"PK\x03\x04" not in full.content
    assert full.headers["content-type"] == "image/jpeg"


@pytest.mark.parametrize(
    "data, status, code",
    [
        (truncated_jpeg(), 422, "corrupt_image"),
        (png_bomb(), 413, "image_too_large"),
        (png_bomb(9000, 9000), 413, "image_too_large"),
        (png_bomb(7000, 7000), 413, "image_too_large"),
        (b"<html><script>alert(1)</script></html>", 415, "unsupported_image"),
        (image_bytes("GIF"), 415, "unsupported_image"),
        (image_bytes("BMP"), 415, "unsupported_image"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, 415, "unsupported_image"),
        (image_bytes("PNG")[:-20], 422, "corrupt_image"),
        (b"", 422, "empty_file"),
    ],
    ids=["truncated-jpeg", "png-bomb", "png-bomb-81mp", "png-bomb-49mp", "html", "gif", "bmp", "broken-png-header", "png-no-end", "empty"],
)
async def test_bad_images_are_refused(desk_app, auth, settings, data, status, code):
    response = await upload(desk_app, auth, data, "photo.jpg", "image/jpeg")
    assert response.status == status, response.text
    assert response.json["error"]["code"] == code
    assert not settings.storage_dir.exists() or os.listdir(settings.storage_dir) == []


async def test_file_over_10_mb_is_a_413(desk_app, auth):
    response = await upload(desk_app, auth, b"\xff\xd8" + b"\x00" * (MAX_BYTES - 1))
    assert response.status == 413 and response.json["error"]["code"] == "file_too_large"


async def test_huge_body_is_a_413(desk_app, auth):
    response = await upload(desk_app, auth, b"\x00" * (MAX_BYTES + 512 * 1024))
    assert response.status == 413
    assert response.json["error"]["code"] in ("file_too_large", "payload_too_large")


async def test_orientation_is_applied_before_exif_is_dropped(desk_app, auth):
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    body = (await upload(desk_app, auth, image_bytes("JPEG", size=(60, 20), exif=exif.tobytes()))).json
    assert (body["width"], body["height"]) == (20, 60)


async def test_upload_with_an_agent_session(desk_app, session_headers):
    response = await upload(desk_app, session_headers, image_bytes("PNG"), "p.png", "image/png")
    assert response.status == 201
    _, thumb = await desk_app.asgi_client.get(response.json["thumbnail_url"], headers=session_headers)
    assert thumb.status == 200


async def test_upload_linked_to_a_ticket(desk_app, auth):
    number = (await create_ticket(desk_app, auth))["number"]
    _, response = await desk_app.asgi_client.post(
        "/api/uploads",
        files={"file": ("p.png", image_bytes("PNG"), "image/png")},
        data={"ticket_number": number},
        headers=auth,
    )
    assert response.status == 201
    _, ticket = await desk_app.asgi_client.get(f"/api/tickets/{number}", headers=auth)
    assert [a["id"] for a in ticket.json["attachments"]] == [response.json["id"]]


async def test_upload_needs_a_file_field(desk_app, auth):
    _, wrong_field = await desk_app.asgi_client.post(
        "/api/uploads", files={"photo": ("p.png", image_bytes("PNG"), "image/png")}, headers=auth
    )
    assert wrong_field.status == 400 and wrong_field.json["error"]["code"] == "missing_file"
    _, json_body = await desk_app.asgi_client.post("/api/uploads", json={"file": "aGVsbG8="}, headers=auth)
    assert json_body.status == 400 and json_body.json["error"]["code"] == "missing_file"


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong-token-0123456789"}])
async def test_upload_and_download_need_credentials(desk_app, auth, headers):
    assert (await upload(desk_app, headers, image_bytes())).status == 401
    body = (await upload(desk_app, auth, image_bytes())).json
    for url in (body["url"], body["thumbnail_url"]):
        _, response = await desk_app.asgi_client.get(url, headers=headers)
        assert response.status == 401 and response.json["error"]["code"] == "unauthorized"


@pytest.mark.parametrize("attachment_id", ["A" * 32, "short", "..%2F..%2Fdesk.db", "a" * 65])
async def test_unknown_attachment_is_a_404(desk_app, auth, attachment_id):
    _, response = await desk_app.asgi_client.get(f"/api/attachments/{attachment_id}", headers=auth)
    assert response.status == 404


async def test_ticket_with_attachments(desk_app, auth):
    first = (await upload(desk_app, auth, image_bytes("JPEG"))).json
    second = (await upload(desk_app, auth, image_bytes("PNG"), "b.png", "image/png")).json
    ticket = await create_ticket(desk_app, auth, body={**_ticket(), "attachments": [first["id"], second["id"]]})
    assert [a["id"] for a in ticket["attachments"]] == [first["id"], second["id"]]
    assert set(ticket["attachments"][0]) >= {"id", "url", "thumbnail_url", "content_type"}


@pytest.mark.parametrize("attachments, code", [(["B" * 32], "unknown_attachment"), (["../x"], "invalid_ticket"), ("abc", "invalid_ticket")])
async def test_ticket_with_bad_attachments_is_refused(desk_app, auth, attachments, code):
    _, response = await desk_app.asgi_client.post(
        "/api/tickets", json={**_ticket(), "attachments": attachments}, headers={**auth, "Idempotency-Key": "bad"}
    )
    assert response.status == 422 and response.json["error"]["code"] == code
    _, listed = await desk_app.asgi_client.get("/api/tickets", headers=auth)
    assert listed.json["tickets"] == []


async def test_attachment_cannot_move_to_a_second_ticket(desk_app, auth):
    photo = (await upload(desk_app, auth, image_bytes())).json
    await create_ticket(desk_app, auth, "one", {**_ticket(), "attachments": [photo["id"]]})
    _, response = await desk_app.asgi_client.post(
        "/api/tickets", json={**_ticket(), "attachments": [photo["id"]]}, headers={**auth, "Idempotency-Key": "two"}
    )
    assert response.status == 422 and response.json["error"]["code"] == "attachment_in_use"


def _ticket():
    from deskkit import TICKET

    return dict(TICKET)


def test_thumbnail_of_a_png_with_alpha_keeps_it():
    from desk.attachments.images import process_image

    data = image_bytes("PNG", size=(400, 100), mode="RGBA")
    result = process_image(data)
    thumb = Image.open(io.BytesIO(result.thumbnail))
    assert thumb.size == (320, 80) and thumb.mode == "RGBA"
