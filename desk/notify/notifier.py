"""Send the queued messages to customers outside the chat, in the background, as the pusher
pushes replies: once a second, failed ones again with back-off, too old ones given up
(never blocking the others). E-mail goes through SMTP, KakaoTalk through its event API;
each is on only when configured, and the desk says at start which are."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Awaitable, Callable, Dict, Optional

import aiohttp
from sanic import Sanic

from desk.deliveries.retry import RetryPolicy
from desk.notify import outbox
from desk.notify.failures import NotificationNotSent
from desk.notify.kakao_events import KakaoEventSettings, send_event
from desk.notify.mail_settings import MailSettings
from desk.notify.smtp import send_mail

logger = logging.getLogger(__name__)

BATCH = 20
# one message to one address: (address, subject, body) -> sent, or NotificationNotSent
Sender = Callable[[str, str, str], Awaitable[None]]


@dataclass(frozen=True)
class Notifiers:
    """The ways the desk can reach a customer who left: each None when not configured."""

    mail: Optional[MailSettings] = None
    kakao: Optional[KakaoEventSettings] = None

    def senders(self, http: aiohttp.ClientSession) -> Dict[str, Sender]:
        """The senders of the configured channels, by the outbox's channel name."""
        found: Dict[str, Sender] = {}
        mail, kakao = self.mail, self.kakao
        if mail is not None:
            found[outbox.EMAIL] = lambda to, subject, body: send_mail(mail, to, subject, body)
        if kakao is not None:
            found[outbox.KAKAO] = lambda user, _subject, text: send_event(http, kakao, user, text)
        return found


async def send_once(app: Sanic, senders: Dict[str, Sender], policy: Optional[RetryPolicy] = None) -> int:
    """Send every queued message that is due once; returns how many went out."""
    policy = policy or app.ctx.retry_policy
    async with app.ctx.sessions() as session:
        notifications = await outbox.due(session, BATCH, list(senders))
    sent = 0
    for notification in notifications:
        try:
            await senders[notification.channel](notification.address, notification.subject, notification.body)
        except Exception as exc:  # noqa: BLE001 - any failure is counted, so one row can never stall the rest
            permanent = isinstance(exc, NotificationNotSent) and exc.permanent
            if not isinstance(exc, NotificationNotSent):
                logger.exception("%s notification %s: unexpected failure", notification.channel, notification.id)
            async with app.ctx.sessions() as session:
                given_up = await outbox.mark_failed(session, notification, policy, give_up=permanent)
            logger.log(
                logging.ERROR if given_up else logging.WARNING, "%s notification %s of ticket %s not sent: %s%s",
                notification.channel, notification.id, notification.ticket_id, type(exc).__name__ if not
                isinstance(exc, NotificationNotSent) else exc, " (given up)" if given_up else "",
            )
            continue
        async with app.ctx.sessions() as session:
            await outbox.mark_sent(session, notification.id)
        sent += 1
        logger.info("%s notification %s of ticket %s sent", notification.channel, notification.id, notification.ticket_id)
    return sent


async def run_notifier(app: Sanic, senders: Dict[str, Sender], interval: float = 1.0) -> None:
    """Send until cancelled; errors are logged and the loop goes on."""
    while True:
        try:
            await send_once(app, senders)
        except asyncio.CancelledError:
            raise
        except Exception:  # keep the loop alive through database hiccups
            logger.exception("notifier round failed")
        await asyncio.sleep(interval)


def start_notifier(app: Sanic, notifiers: Notifiers) -> Optional["asyncio.Task[None]"]:
    """Start the background task when a channel is configured; say at start-up which are."""
    mail, kakao = notifiers.mail, notifiers.kakao
    logger.info("e-mail to customers: %s", f"on (SMTP {mail.host}:{mail.port})" if mail else "off (DESK_SMTP_HOST is not set)")
    logger.info("KakaoTalk events to customers: %s",
                f"on (event {kakao.event_name})" if kakao else "off (DESK_KAKAO_BOT_ID is not set)")
    senders = notifiers.senders(app.ctx.http)
    if not senders:
        return None
    return asyncio.get_running_loop().create_task(run_notifier(app, senders))
