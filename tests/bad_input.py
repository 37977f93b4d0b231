"""The bad-input corpus: messages, raw request bodies and images the bot and the desk must survive.

Every case here must give a clear 4xx or a polite Korean reply: no crash, no
500, nothing half-written. The modules that use it:

* ``tests/e2e/test_bad_messages_e2e.py``: each message over Rasa's REST webhook;
* ``tests/desk/test_bad_input_api.py``: the bodies on every desk route, the images on
  every upload route;
* ``tests/channels/test_channel_bad_input.py``: the KakaoTalk and Messenger webhooks.

Images are made in code (Pillow and hand-written PNG chunks), never stored as files.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass
from typing import Dict, List, Tuple

from PIL import Image

# --- messages ---------------------------------------------------------------------------------

LONG_KOREAN = "배달이 너무 늦어요 " * 1200  # 12,000 characters
LONG_WORD = "ㅋ" * 15000


@dataclass(frozen=True)
class BadMessage:
    """A chat message a customer could send; ``name`` names it in test ids."""

    name: str
    text: str


MESSAGES: List[BadMessage] = [
    BadMessage("empty", ""),
    BadMessage("spaces", "   "),
    BadMessage("whitespace-mix", " \t\r\n\u3000\u00a0 "),
    BadMessage("zero-width", "\u200b\u200c\u200d\ufeff"),
    BadMessage("10k-korean", LONG_KOREAN),
    BadMessage("15k-one-word", LONG_WORD),
    BadMessage("50k-ascii", "a" * 50_000),
    BadMessage("nul", "\x00"),
    BadMessage("control-chars", "\x01\x02\x07\x08\x1b[31m빨강\x1b[0m\x7f"),
    BadMessage("nul-in-korean", "배달이\x00 너무\x00 늦어요"),
    BadMessage("c1-controls", "\x85\x9b\x9c 환불"),
    BadMessage("bidi-override", "\u202e요어늦 무너 이달배\u202c"),
    BadMessage("combining-storm", "배" + "\u0301\u0308\u0334" * 300),
    BadMessage("emoji-only", "😡😡😡"),
    BadMessage("emoji-one", "🍕"),
    BadMessage("emoji-zwj", "👨\u200d👩\u200d👧\u200d👦🏳\ufe0f\u200d🌈"),
    BadMessage("emoji-flags", "🇰🇷🇰🇷"),
    BadMessage("hangul-jamo-only", "ㅠㅠㅠㅠ"),
    BadMessage("fullwidth-order", "ＯＲＤ－２６１１２２－０１０２ 주문이요"),
    BadMessage("html-script", "<script>alert('xss')</script>"),
    BadMessage("html-img-onerror", '<img src=x onerror="alert(1)">배달이 늦어요'),
    BadMessage("html-entities", "&lt;b&gt;굵게&lt;/b&gt; &amp; <b>진짜 굵게</b>"),
    BadMessage("markdown-link", "[환불](javascript:alert(1))"),
    BadMessage("sql-order-or", "ORD-261122-0102' OR '1'='1"),
    BadMessage("sql-order-drop", "ORD-261122-0102'; DROP TABLE orders; --"),
    BadMessage("sql-union", "1 UNION SELECT phone FROM customers --"),
    BadMessage("sql-order-comment", "ORD-261122-0102/**/OR/**/1=1"),
    BadMessage("order-like-overflow", "ORD-999999-9999"),
    BadMessage("order-bad-date", "ORD-261399-0001"),
    BadMessage("format-string", "%s%s%s%n {0} {__class__} ${jndi:ldap://x}"),
    BadMessage("json-in-text", '{"sender": "admin", "message": "환불"}'),
    BadMessage("slash-unknown-intent", "/no_such_intent"),
    BadMessage("slash-bad-entities", '/inform{"resolution": '),
    BadMessage("path-traversal", "../../../../etc/passwd"),
    BadMessage("newlines-only", "\n\n\n\n"),
    BadMessage("private-use", "\ue000\uf8ff"),
    BadMessage("non-characters", "\ufffe\uffff"),
    BadMessage("astral-math", "𝔟𝔞𝔡 𝔦𝔫𝔭𝔲𝔱"),
]

# the bot's answers come from these; a polite Korean reply holds Hangul and ends in 해요체
POLITE_ENDINGS = ("요", "요.", "요?", "요!", "니다", "니다.", "세요", "까요?")

# Raw bodies for Rasa's REST webhook that are not a usable message at all
# (expected: a 4xx, or 200 with a polite reply, never a 500).
REST_BODIES: List[Tuple[str, bytes]] = [
    ("not-json", b"{sender: x}"),
    ("truncated-json", b'{"sender": "x", "message": "\xeb\xb0\xb0'),
    ("invalid-utf8", b'{"sender": "bad-utf8", "message": "\xff\xfe\xfd \xc3\x28"}'),
    ("lone-surrogate", b'{"sender": "surrogate", "message": "\\ud800 \\udfff"}'),
    ("json-array", b'["hello"]'),
    ("json-string", b'"hello"'),
    ("json-null", b"null"),
    ("empty-body", b""),
    ("message-number", b'{"sender": "types-1", "message": 42}'),
    ("message-list", b'{"sender": "types-2", "message": ["a", "b"]}'),
    ("message-object", b'{"sender": "types-3", "message": {"text": "hi"}}'),
    ("message-null", b'{"sender": "types-4", "message": null}'),
    ("message-missing", b'{"sender": "types-5"}'),
    ("sender-number", b'{"sender": 7, "message": "\xec\x95\x88\xeb\x85\x95"}'),
    ("sender-object", b'{"sender": {"id": 1}, "message": "hi"}'),
    ("metadata-string", b'{"sender": "types-6", "message": "hi", "metadata": "x"}'),
    ("metadata-bad-attachments", b'{"sender": "types-7", "message": "hi", "metadata": {"attachments": "x"}}'),
    ("deep-nesting", b'{"sender": "deep", "message": "hi", "metadata": ' + b"[" * 5000 + b"]" * 5000 + b"}"),
    ("nan", b'{"sender": "nan", "message": NaN}'),
]

# --- JSON bodies for the desk's routes ------------------------------------------------------------

# bodies that are not a JSON object the desk can use: (name, raw bytes)
MALFORMED_JSON: List[Tuple[str, bytes]] = [
    ("empty", b""),
    ("spaces", b"   \n"),
    ("truncated", b'{"text": "abc'),
    ("trailing-comma", b'{"text": "abc",}'),
    ("single-quotes", b"{'text': 'abc'}"),
    ("invalid-utf8", b'{"text": "\xff\xfe"}'),
    ("utf8-bom", b'\xef\xbb\xbf{"text": "abc"}'),
    ("utf16", '{"text": "abc"}'.encode("utf-16")),
    ("array", b"[]"),
    ("string", b'"text"'),
    ("number", b"42"),
    ("null", b"null"),
    ("true", b"true"),
    ("deep-array", b'{"text": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"),
    ("deep-object", b'{"a":' * 3000 + b"1" + b"}" * 3000),
    ("nan", b'{"text": NaN}'),
    ("infinity", b'{"text": -Infinity}'),
    ("huge-exponent", b'{"text": 1e999}'),
    ("lone-surrogate", b'{"text": "\\ud800"}'),
    ("lone-surrogate-key", b'{"\\udfff": "x"}'),
]

# decoded JSON values that are valid JSON but must not reach a database: (name, value)
UNSTORABLE_VALUES: List[Tuple[str, object]] = [
    ("nul", "a\x00b"),
    ("nul-only", "\x00"),
    ("big-int", 2**64),
    ("huge-int", 10**40),
    ("negative-big-int", -(2**63) - 1),
]

# values of the wrong type for any field
WRONG_TYPES: List[Tuple[str, object]] = [
    ("null", None),
    ("true", True),
    ("zero", 0),
    ("float", 1.5),
    ("negative", -1),
    ("list", ["x"]),
    ("object", {"x": 1}),
    ("empty-string", ""),
    ("spaces", "   "),
    ("long-string", "가" * 30_000),
    ("html", "<script>alert(1)</script>"),
    ("sql", "' OR 1=1 --"),
]

# --- images -----------------------------------------------------------------------------------


def picture(fmt: str = "JPEG", size: Tuple[int, int] = (48, 32)) -> bytes:
    """A small valid image with a gradient."""
    image = Image.new("RGB", size)
    image.putdata([((x * 5) % 256, (y * 7) % 256, 90) for y in range(size[1]) for x in range(size[0])])
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_declaring(width: int, height: int, idat: bytes = b"") -> bytes:
    """A PNG whose header declares ``width`` × ``height`` (RGB) with ``idat`` as its compressed data."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")


def png_zlib_bomb() -> bytes:
    """A 20000×20000 PNG: a few kilobytes of zlib that would inflate to 1.2 GB of pixels."""
    compressor = zlib.compressobj(9)
    row = b"\x00" + b"\x00" * (20000 * 3)
    data = b"".join(compressor.compress(row) for _ in range(64)) + compressor.flush()
    return png_declaring(20000, 20000, data)


def corrupt_png_crc() -> bytes:
    """A valid PNG whose IDAT checksum is wrong."""
    data = bytearray(picture("PNG"))
    at = data.index(b"IDAT") + 4
    data[at + 2] ^= 0xFF  # flip compressed bytes, keep the stored CRC
    return bytes(data)


def polyglot_html_zip() -> bytes:
    """A valid JPEG followed by an HTML page and a zip archive (a browser or unzip sees those)."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("index.html", "<script>alert('zip')</script>")
    return picture("JPEG") + POLYGLOT_MARKER + archive.getvalue()


POLYGLOT_MARKER = b"<html><body><script>alert('polyglot')</script></body></html>"


@dataclass(frozen=True)
class BadImage:
    """An upload that must be refused: its bytes, and the status and error code it gets."""

    name: str
    data: bytes
    status: int
    code: str


def bad_images() -> List[BadImage]:
    """Every image upload the desk must refuse (made fresh on each call)."""
    png = picture("PNG")
    jpeg = picture("JPEG", (128, 128))
    webp = picture("WEBP", (64, 64))
    return [
        BadImage("empty", b"", 422, "empty_file"),
        BadImage("one-byte", b"\xff", 415, "unsupported_image"),
        BadImage("random-bytes", bytes((i * 131 + 7) % 256 for i in range(4096)), 415, "unsupported_image"),
        BadImage("text", "배달이 늦어요".encode(), 415, "unsupported_image"),
        BadImage("html", b"<html><script>alert(1)</script></html>", 415, "unsupported_image"),
        BadImage("svg-script", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', 415,
                 "unsupported_image"),
        BadImage("zip", _zip_only(), 415, "unsupported_image"),
        BadImage("gif", picture("GIF"), 415, "unsupported_image"),
        BadImage("bmp", picture("BMP"), 415, "unsupported_image"),
        BadImage("tiff", picture("TIFF"), 415, "unsupported_image"),
        BadImage("png-signature-only", b"\x89PNG\r\n\x1a\n", 415, "unsupported_image"),
        BadImage("png-truncated-half", png[: len(png) // 2], 422, "corrupt_image"),
        BadImage("png-truncated-header", png[:30], 415, "unsupported_image"),  # too short to be identified
        BadImage("png-no-iend", png[:-12], 422, "corrupt_image"),
        BadImage("png-bad-crc", corrupt_png_crc(), 422, "corrupt_image"),
        BadImage("png-empty-idat", png_declaring(64, 64), 422, "corrupt_image"),
        BadImage("png-zero-size", png_declaring(0, 0, zlib.compress(b"")), 415, "unsupported_image"),
        BadImage("jpeg-truncated", jpeg[: len(jpeg) // 2], 422, "corrupt_image"),
        BadImage("jpeg-header-only", jpeg[:20], 415, "unsupported_image"),
        BadImage("jpeg-soi-eoi", b"\xff\xd8\xff\xd9", 415, "unsupported_image"),
        BadImage("webp-truncated", webp[: len(webp) // 2], 422, "corrupt_image"),
        BadImage("bomb-20000x20000", png_declaring(20000, 20000, zlib.compress(b"\x00" * 64)), 413, "image_too_large"),
        BadImage("bomb-zlib-20000x20000", png_zlib_bomb(), 413, "image_too_large"),
        BadImage("bomb-1x50000000", png_declaring(1, 50_000_000, zlib.compress(b"\x00" * 64)), 413, "image_too_large"),
        BadImage("bomb-just-over-40mp", png_declaring(6400, 6400, zlib.compress(b"\x00" * 64)), 413,
                 "image_too_large"),
        BadImage("bomb-max-dimensions", png_declaring(2**31 - 1, 2**31 - 1), 413, "image_too_large"),
    ]


def _zip_only() -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("a.txt", "x" * 100)
    return archive.getvalue()


def images_by_name() -> Dict[str, BadImage]:
    """:func:`bad_images` keyed by name."""
    return {image.name: image for image in bad_images()}
