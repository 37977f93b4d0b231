"""Response shapes of the web chat's API."""

from __future__ import annotations

from typing import List, Literal

from contract.base import ContractModel


class ChatConfig(ContractModel):
    """Where the chat page connects (Rasa's socket.io)."""

    socket_url: str
    socket_path: str


class DemoToken(ContractModel):
    """A chat token for the demo customer and the conversation it opens."""

    token: str
    customer_id: str
    session_id: str


class ChatPhoto(ContractModel):
    """A photo the customer sent from the chat."""

    id: str
    content_type: str


class ChatLine(ContractModel):
    """One line of the customer's conversation."""

    author: Literal["customer", "bot"]
    text: str


class ChatHistory(ContractModel):
    """The customer's conversation so far."""

    messages: List[ChatLine]
