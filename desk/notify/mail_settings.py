"""Where the desk sends e-mail from: an SMTP server named by the environment; off when none is named."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Optional


class MailConfigError(ValueError):
    """A mail setting is malformed."""


@dataclass(frozen=True)
class MailSettings:
    """The SMTP server and the sender of the customers' e-mails.

    Attributes:
        host, port: the SMTP server (``DESK_SMTP_HOST``, ``DESK_SMTP_PORT``, default 587).
        sender: the From address (``DESK_SMTP_FROM``).
        username, password: the login, when the server wants one (``DESK_SMTP_USER``,
            ``DESK_SMTP_PASSWORD``; the password only ever from the environment).
        starttls: upgrade the connection with STARTTLS (``DESK_SMTP_STARTTLS``, default on
            unless the host is this machine).
        timeout: seconds for one SMTP conversation.
    """

    host: str
    port: int
    sender: str
    username: Optional[str] = None
    password: Optional[str] = None
    starttls: bool = True
    timeout: float = 20.0

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Optional["MailSettings"]:
        """The settings, or None when ``DESK_SMTP_HOST`` is not set (e-mail is off).

        Raises:
            MailConfigError: a port that is no port, a missing or malformed sender, a user without a password.
        """
        host = (env.get("DESK_SMTP_HOST") or "").strip()
        if not host:
            return None
        port_text = (env.get("DESK_SMTP_PORT") or "587").strip()
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise MailConfigError(f"DESK_SMTP_PORT must be a port number, got {port_text!r}")
        sender = (env.get("DESK_SMTP_FROM") or "").strip()
        if "@" not in sender or any(c.isspace() for c in sender) or len(sender) > 254:
            raise MailConfigError("DESK_SMTP_FROM must be the sender's e-mail address when DESK_SMTP_HOST is set")
        username = (env.get("DESK_SMTP_USER") or "").strip() or None
        password = env.get("DESK_SMTP_PASSWORD") or None
        if username and not password:
            raise MailConfigError("DESK_SMTP_USER is set but DESK_SMTP_PASSWORD is not")
        local = host in ("127.0.0.1", "localhost", "::1")
        starttls_text = (env.get("DESK_SMTP_STARTTLS") or "").strip().lower()
        if starttls_text not in ("", "true", "false", "1", "0", "yes", "no"):
            raise MailConfigError("DESK_SMTP_STARTTLS must be true or false")
        starttls = (not local) if not starttls_text else starttls_text in ("true", "1", "yes")
        return cls(host=host, port=int(port_text), sender=sender, username=username, password=password,
                   starttls=starttls)
