"""Helpers for the desk tests: images made with Pillow (good and hostile), and API shortcuts."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from typing import Dict, Optional, Tuple

from functools import lru_cache
from pathlib import Path

from PIL import Image
from sanic import Sanic

from desk.agents.accounts import save_agent_account
from desk.app import create_app
from desk.config import DeskSettings

AGENT_EMAIL = "agent@example.com"
AGENT_PASSWORD = "correct-horse-battery"
AGENT_NAME = "김상담"

TICKET = {
    "category": "quality",
    "channel": "rest",
    "sender_id": "customer-7",
    "order_number": "ORD-261122-0042",
    "summary": "음식이 식어서 왔어요",
    "transcript": [
        {"author": "customer", "text": "음식이 식어서 왔어요"},
        {"author": "bot", "text": "불편을 드려 죄송합니다. 사진을 보내 주시겠어요?"},
    ],
}


@lru_cache(maxsize=None)
def unstarted_desk() -> Sanic:
    """A desk app that is never started: its routes and OpenAPI document, read without a database."""
    settings = DeskSettings(database_url="sqlite+aiosqlite:///unused.db", service_token="t" * 32,
                            storage_dir=Path("unused-uploads"))
    return create_app(settings, name="desk_unstarted")


def image_bytes(fmt: str = "JPEG", size: Tuple[int, int] = (64, 48), mode: str = "RGB", **save) -> bytes:
    """A small image with a gradient, encoded as ``fmt``."""
    image = Image.new(mode, size)
    image.putdata([
        ((x * 4) % 256, (y * 4) % 256, 128, 100)[: len(mode)] if mode != "L" else (x + y) % 256
        for y in range(size[1]) for x in range(size[0])
    ])
    out = io.BytesIO()
    image.save(out, fmt, **save)
    return out.getvalue()


def gps_jpeg() -> bytes:
    """A JPEG whose EXIF has a camera model and GPS coordinates."""
    exif = Image.Exif()
    exif[0x0110] = "Secret Phone 9"  # Model
    exif[0x8825] = {1: "N", 2: (37.0, 33.0, 58.0), 3: "E", 4: (126.0, 58.0, 40.0)}  # GPSInfo
    return image_bytes("JPEG", exif=exif.tobytes())


def png_chunk(kind: bytes, data: bytes) -> bytes:
    """One PNG chunk with its CRC."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_bomb(width: int = 30000, height: int = 30000) -> bytes:
    """A tiny PNG that declares a huge canvas (a decompression bomb)."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + png_chunk(b"IEND", b"")
    )


def truncated_jpeg() -> bytes:
    """The first half of a JPEG."""
    data = image_bytes("JPEG", size=(256, 256), quality=95)
    return data[: len(data) // 2]


PAYLOAD_MARKER = b"<script>alert('polyglot')</script>"


def polyglot_jpeg() -> bytes:
    """A valid JPEG followed by an HTML payload and a zip archive."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("evil.html", "<html>" + PAYLOAD_MARKER.decode() + "</html>")
    return image_bytes("JPEG") + b"<html>" + PAYLOAD_MARKER + b"</html>" + archive.getvalue()


def opened(data: bytes) -> Image.Image:
    """``data`` decoded by Pillow (fully loaded)."""
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


async def make_agent(database_url: str, email: str = AGENT_EMAIL, name: str = AGENT_NAME,
                     password: str = AGENT_PASSWORD) -> int:
    """Create an agent directly in the database; returns its id."""
    agent_id, _ = await save_agent_account(database_url, email, name, password, update=False)
    return agent_id


async def sign_in(app, email: str = AGENT_EMAIL, password: str = AGENT_PASSWORD) -> Dict[str, str]:
    """Sign in through the API; returns headers that carry the session cookie."""
    _, response = await app.asgi_client.post("/api/auth/login", json={"email": email, "password": password})
    assert response.status == 200, response.text
    token = response.cookies["desk_session"]
    app.asgi_client.cookies.clear()  # the test client keeps cookies: make every test say what it sends
    return {"Cookie": f"desk_session={token}"}


async def create_ticket(app, auth: Dict[str, str], key: str = "ticket-1", body: Optional[dict] = None) -> dict:
    """Open a ticket through the API; returns its JSON."""
    _, response = await app.asgi_client.post(
        "/api/tickets", json=body or TICKET, headers={**auth, "Idempotency-Key": key}
    )
    assert response.status in (200, 201), response.text
    return response.json


async def upload(app, headers: Dict[str, str], data: bytes, name: str = "photo.jpg",
                 content_type: str = "image/jpeg"):
    """POST ``data`` to /api/uploads as the multipart field ``file``; returns the response."""
    _, response = await app.asgi_client.post(
        "/api/uploads", files={"file": (name, data, content_type)}, headers=headers
    )
    return response


