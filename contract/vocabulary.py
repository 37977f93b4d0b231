"""The words and limits the action server and the desk share.

A value outside these tuples, or a field longer than its limit, is refused by
the desk with a 422 (``contract/requests.py``); the action server cuts what it
sends to the same limits.
"""

from __future__ import annotations

from typing import Dict

from support.conversation_ids import MAX_CONVERSATION_ID

# --- words ---
CATEGORIES = ("delay", "quality", "payment", "other")
# how agents read the categories (the console, and the notes a ticket carries)
CATEGORY_LABELS = {"delay": "배달 지연", "quality": "음식 품질", "payment": "결제", "other": "기타"}
PRIORITIES = ("urgent", "high", "normal", "low")
OPEN_STATUSES = ("new", "assigned", "waiting_customer")  # a person is still working on the ticket
STATUSES = OPEN_STATUSES + ("resolved", "closed")
AUTHORS = ("customer", "bot", "agent", "system")
SERVICE_AUTHORS = ("customer", "bot", "system")  # agents write through the desk's /reply
REPLY, RESOLVED = "reply", "resolved"  # an agent's reply; the ticket was resolved or handed back
DELIVERY_KINDS = (REPLY, RESOLVED)
# the intent the desk triggers in the conversation for each kind of delivery
DELIVERY_INTENTS: Dict[str, str] = {REPLY: "agent_reply", RESOLVED: "ticket_resolved"}
# channels that can send at any time: the desk pushes replies there; the others get them with the next message
PUSH_CHANNELS = ("socketio", "facebook")
# in Rasa's error answer to a push: the channel refused the message for good (the customer
# blocked the page, the messaging window closed), so trying again is of no use
DELIVERY_REFUSED_MARK = "[refused by the channel]"
IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp")

# --- patterns ---
ATTACHMENT_ID = r"^[A-Za-z0-9_-]{16,64}$"
TICKET_NUMBER = r"^T-\d{8}-\d{4,}$"

# --- limits (characters, or items for lists) ---
MAX_MESSAGE = 2_000  # one customer message, on every channel and in the web chat's input
MAX_LINE = 20_000  # one transcript line or thread message
MAX_LINES = 500  # transcript lines in one ticket
MAX_REPLY = 5_000  # one agent reply
MAX_SUMMARY = 2_000
MAX_ATTACHMENTS = 20
MAX_CHANNEL = 40
MAX_SENDER_ID = MAX_CONVERSATION_ID
MAX_IDEMPOTENCY_KEY = 200  # the Idempotency-Key header of a ticket or message
MAX_CUSTOMER_ID = 100
MAX_ORDER_NUMBER = 30
MAX_RESOLUTION = 40
MAX_REQUESTED_CHANGE = 300  # what a customer asked to cancel or change in an order
MAX_HANDOFF_REASON = 120  # why the bot handed over, as the agent reads it
MAX_TICKET_NUMBER = 20
MAX_URL = 2_000  # a photo's address the desk fetches
MAX_COMMENT = 2_000  # a rating's comment
MAX_EMAIL = 254  # an e-mail address (RFC 5321's path limit)
