"""An agent signed in to the desk, as the console would be (shared by the e2e and production tests)."""

from __future__ import annotations

import http.cookiejar
from typing import Dict
from urllib.parse import urlsplit

LOOPBACK = ("127.0.0.1", "localhost", "::1")


class LoopbackIsSecure(http.cookiejar.DefaultCookiePolicy):
    """Cookies as browsers keep them: ``Secure`` cookies also go to http://localhost (a secure context).

    The production profile marks the desk's session cookie ``Secure``; its tests reach
    the desk over plain http on this machine, as a browser on the machine would.
    """

    def return_ok_secure(self, cookie, request) -> bool:
        if cookie.secure and urlsplit(request.get_full_url()).hostname in LOOPBACK:
            return True
        return super().return_ok_secure(cookie, request)


class Agent:
    """An agent signed in to the desk (session cookie), as the console would be."""

    def __init__(self, stack: Dict[str, str], email: str, password: str) -> None:
        import urllib.request

        self.stack = stack
        jar = http.cookiejar.CookieJar(policy=LoopbackIsSecure())
        self._opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        status, body = self._call("POST", "/api/auth/login", {"email": email, "password": password})
        assert status == 200, body

    def _call(self, method: str, path: str, body=None):
        import json
        import urllib.error
        import urllib.request

        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"{self.stack['desk_url']}{path}", data=data, method=method)
        request.add_header("Content-Type", "application/json")
        try:
            with self._opener.open(request, timeout=30) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def reply(self, number: str, text: str) -> None:
        """Answer the customer from the desk."""
        status, body = self._call("POST", f"/api/tickets/{number}/reply", {"text": text})
        assert status == 201, body

    def resolve(self, number: str) -> None:
        """Mark the ticket resolved."""
        status, body = self._call("POST", f"/api/tickets/{number}/resolve")
        assert status == 200, body
