"""Send one e-mail over SMTP without blocking the event loop (the standard library's client in a thread)."""

from __future__ import annotations

import asyncio
import smtplib
import ssl
from email.message import EmailMessage as MimeMessage
from email.utils import formatdate, make_msgid

from desk.notify.failures import NotificationNotSent
from desk.notify.mail_settings import MailSettings


def compose(settings: MailSettings, to: str, subject: str, body: str) -> MimeMessage:
    """A plain-text UTF-8 e-mail."""
    message = MimeMessage()
    message["From"] = settings.sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=settings.sender.rsplit("@", 1)[-1])
    message.set_content(body, charset="utf-8")
    return message


def _send(settings: MailSettings, message: MimeMessage) -> None:
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout) as client:
            if settings.starttls:
                client.starttls(context=ssl.create_default_context())
            if settings.username:
                client.login(settings.username, settings.password or "")
            client.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        raise NotificationNotSent("the server refused the recipient", permanent=True) from exc
    except smtplib.SMTPAuthenticationError as exc:  # our login, not the e-mail: worth trying after a fix
        raise NotificationNotSent(f"the server refused the login ({exc.smtp_code})") from exc
    except smtplib.SMTPResponseException as exc:  # our sender or the server's state: worth trying again
        raise NotificationNotSent(f"the server answered {exc.smtp_code}") from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise NotificationNotSent(f"the server could not be reached ({type(exc).__name__})") from exc


async def send_mail(settings: MailSettings, to: str, subject: str, body: str) -> None:
    """Send one e-mail.

    Raises:
        NotificationNotSent: it was not sent.
    """
    message = compose(settings, to, subject, body)
    await asyncio.get_running_loop().run_in_executor(None, _send, settings, message)
