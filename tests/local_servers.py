"""Small HTTP stand-ins on 127.0.0.1 for outside services a test needs (image CDNs, platform APIs)."""

from __future__ import annotations

import http.server
import io
import threading
from contextlib import asynccontextmanager, contextmanager
from typing import AsyncIterator, Iterable, Iterator, Tuple

from aiohttp import web

from processes import free_port


def png_bytes(color: Tuple[int, int, int] = (200, 80, 40), size: Tuple[int, int] = (64, 48)) -> bytes:
    """A small real PNG image."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


@contextmanager
def image_host(body: bytes) -> Iterator[str]:
    """Serve ``body`` as a PNG at every path; yields the base URL (a channel's image CDN)."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


@asynccontextmanager
async def stand_in(routes: Iterable[web.RouteDef]) -> AsyncIterator[str]:
    """Serve aiohttp ``routes`` on 127.0.0.1 in this event loop; yields the base URL, stops on exit."""
    app = web.Application()
    app.add_routes(routes)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


class SmtpMailbox:
    """An SMTP server's handler (aiosmtpd): keeps every message it is given, parsed."""

    def __init__(self) -> None:
        import email.message

        self.messages: "list[email.message.EmailMessage]" = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        import email
        import email.policy

        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)
        return "250 OK"

    def bodies(self) -> "list[str]":
        """The text of every message, in arrival order."""
        with self.lock:
            return [message.get_content() for message in self.messages]


@contextmanager
def smtp_server() -> Iterator[Tuple[int, SmtpMailbox]]:
    """A real SMTP server (aiosmtpd) on 127.0.0.1: yields its port and its mailbox, stops on exit."""
    from aiosmtpd.controller import Controller

    mailbox = SmtpMailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller.port, mailbox
    finally:
        controller.stop()
