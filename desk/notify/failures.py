"""How sending a message to a customer outside the chat fails."""

from __future__ import annotations


class NotificationNotSent(RuntimeError):
    """A message to a customer was not sent (an SMTP server, Kakao's event API); ``permanent`` when
    trying again is of no use."""

    def __init__(self, message: str, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent
