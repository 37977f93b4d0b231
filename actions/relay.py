"""While a person handles the conversation: relay messages both ways.

* ``action_relay_to_agent``: the customer wrote while their ticket is open:
  append the message to the ticket's thread and hand out any agent reply
  waiting for them (request/response channels such as REST and KakaoTalk
  receive agent replies this way, with their next message). Once the ticket is
  resolved, the bot takes over again and asks the survey.
* ``action_deliver_agent_reply``: the desk pushed an agent reply (socket.io,
  Messenger) through Rasa's ``trigger_intent``: say it.
* ``action_ticket_resolved``: the desk pushed the news that the ticket is
  resolved: say it, hand the conversation back to the bot, ask the survey.

The last two act only with the desk's proof (:mod:`contract.agent_proof`): the
same intents typed or forged by anyone else say nothing and end nothing.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.desk_client import DeskClient, DeskUnavailable
from actions.handoff import PENDING_TICKET
from actions.services import UsesServices
from actions.ticket_outbox import TicketOutbox
from actions.transcript import latest_user_timestamp
from contract.agent_proof import PROOF_ENTITY, TEXT_ENTITY, check_proof
from contract.requests import idempotency_key
from contract.vocabulary import MAX_LINE, PUSH_CHANNELS, RESOLVED
from support import customer_texts as say
from support.pii import email_addresses, mask
from support.storable_text import storable

logger = logging.getLogger(__name__)



def _entity(tracker: Tracker, name: str) -> Optional[str]:
    for entity in (tracker.latest_message or {}).get("entities", []):
        if entity.get("entity") == name and isinstance(entity.get("value"), str):
            return entity["value"]
    return None


def back_to_bot(tracker: Tracker, survey: bool) -> List[Dict[Text, Any]]:
    """The person is done: the bot answers again (and asks the survey about the ticket)."""
    return [
        SlotSet("handoff_ticket", None),
        SlotSet("survey_due", survey),
        SlotSet("survey_ticket", tracker.get_slot("handoff_ticket") if survey else None),
    ]


class ActionRelayToAgent(UsesServices, Action):
    """Append the customer's message to the open ticket; hand out waiting replies."""

    def name(self) -> Text:
        """The action's name in the domain."""
        return "action_relay_to_agent"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        """Relay, or hand back to the bot when the ticket is no longer open."""
        client = self.services.desk
        number = tracker.get_slot("handoff_ticket")
        text = mask(storable((tracker.latest_message or {}).get("text") or ""))  # agents see it masked
        if number == PENDING_TICKET and await self._still_queued(self.services.outbox, client, tracker, text):
            dispatcher.utter_message(response="utter_ticket_still_queued")
            return []
        try:
            ticket = await client.open_ticket_of(tracker.sender_id)
            if ticket is not None and text.strip():
                await client.append_message(
                    ticket.number, text[:MAX_LINE], idempotency_key(tracker.sender_id, latest_user_timestamp(tracker))
                )
            if ticket is not None:
                await self._take_email(client, dispatcher, tracker, ticket.number)
            resolved = await self._hand_out(client, dispatcher, tracker)
        except DeskUnavailable as exc:
            logger.error("conversation %s: relay to ticket %s failed: %s", tracker.sender_id, number, exc)
            dispatcher.utter_message(response="utter_relay_failed")
            return []
        if ticket is None:
            if not resolved:  # the ticket ended without a notice reaching this conversation
                dispatcher.utter_message(text=say.HANDOFF_ENDED)
                dispatcher.utter_message(response="utter_how_can_i_help")
            return back_to_bot(tracker, survey=resolved)
        if not dispatcher.messages:
            dispatcher.utter_message(response="utter_relayed_to_agent")
        return [SlotSet("handoff_ticket", ticket.number)] if ticket.number != number else []

    @staticmethod
    async def _take_email(client: DeskClient, dispatcher: CollectingDispatcher, tracker: Tracker, number: str) -> None:
        """An e-mail address in the answer to the bot's offer: the desk sends the conversation's copy and
        the replies there. Only once per offer: an address written at any other time is just words."""
        if not email_offer_open(tracker):
            return
        found = email_addresses((tracker.latest_message or {}).get("text") or "")
        if not found:
            return
        address, masked = found[0]
        try:
            saved = await client.leave_email(number, address)
        except DeskUnavailable as exc:  # a refusal too: e-mail off, or not an address the desk takes
            logger.warning("conversation %s: e-mail address not kept for ticket %s: %s", tracker.sender_id, number, exc)
            dispatcher.utter_message(response="utter_email_not_saved")
            return
        dispatcher.utter_message(response="utter_email_saved", email=saved.email or masked)

    @staticmethod
    async def _still_queued(outbox: TicketOutbox, client: DeskClient, tracker: Tracker, text: str) -> bool:
        """Try to hand the queued ticket to the desk; keep the message with it if it is still down."""
        await outbox.flush(client, tracker.sender_id)
        if not await outbox.pending(tracker.sender_id):
            return False
        timestamp = latest_user_timestamp(tracker)
        sent_at = datetime.fromtimestamp(timestamp, tz=timezone.utc).isoformat() if timestamp else None
        await outbox.append_line(tracker.sender_id, text[:MAX_LINE], sent_at)
        return True

    @staticmethod
    async def _hand_out(client: DeskClient, dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
        """Say the waiting agent replies (pull channels only); True if a resolution was among them."""
        if tracker.get_latest_input_channel() in PUSH_CHANNELS:
            return False
        resolved = False
        for delivery in (await client.pending_deliveries(tracker.sender_id)).deliveries:
            if delivery.kind == RESOLVED:
                resolved = True
                dispatcher.utter_message(text=delivery.text)
            else:
                dispatcher.utter_message(text=say.AGENT_PREFIX + delivery.text)
            await client.mark_delivered(delivery.id)
        return resolved


def email_offer_open(tracker: Tracker) -> bool:
    """Whether the bot offered e-mail (``utter_offer_email``) and has not taken an address since."""
    for event in reversed(tracker.events):
        said = (event.get("metadata") or {}).get("utter_action") if event.get("event") == "bot" else None
        if said == "utter_email_saved":
            return False
        if said == "utter_offer_email":
            return True
    return False


def from_desk(tracker: Tracker, kind: str, key: Optional[bytes]) -> Optional[str]:
    """The text the desk pushed as ``kind`` (``reply`` or ``resolved``) when its proof (checked with ``key``)
    holds and this delivery was not said before, else None."""
    text = _entity(tracker, TEXT_ENTITY)
    proof = _entity(tracker, PROOF_ENTITY)
    if text is None or not check_proof(key, proof, tracker.sender_id, kind, text):
        logger.warning("conversation %s: an agent %s without the desk's proof was ignored", tracker.sender_id, kind)
        return None
    if already_pushed(tracker, proof):
        # the desk pushed it again because it never heard the first push succeed (a timeout);
        # the conversation holds the first one, so the customer already has it
        logger.info("conversation %s: an agent %s pushed again was not said twice", tracker.sender_id, kind)
        return None
    return text


def already_pushed(tracker: Tracker, proof: Optional[str]) -> bool:
    """Whether an earlier turn of the conversation carried the same delivery (its proof names the delivery).

    A turn whose answer did not go out is never stored (the channel fails it), so only a delivery the
    customer got is found here.
    """
    users = [event for event in tracker.events if event.get("event") == "user"]
    for event in users[:-1]:
        for entity in (event.get("parse_data") or {}).get("entities") or []:
            if entity.get("entity") == PROOF_ENTITY and entity.get("value") == proof:
                return True
    return False


class ActionDeliverAgentReply(UsesServices, Action):
    """Say an agent reply the desk pushed."""

    def name(self) -> Text:
        """The action's name in the domain."""
        return "action_deliver_agent_reply"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        """Utter the reply's text, if the desk sent it."""
        text = from_desk(tracker, "reply", self.services.settings.agent_proof_key)
        if text:
            dispatcher.utter_message(text=say.AGENT_PREFIX + text)
        return []


class ActionTicketResolved(UsesServices, Action):
    """The desk pushed that the ticket is resolved: the bot takes over and asks the survey."""

    def name(self) -> Text:
        """The action's name in the domain."""
        return "action_ticket_resolved"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        """Say the notice and end the handoff, if the desk sent it."""
        text = from_desk(tracker, "resolved", self.services.settings.agent_proof_key)
        if text is None:
            return []
        if await self._newer_ticket_open(tracker):
            return []
        dispatcher.utter_message(text=text or say.HANDOFF_ENDED)
        return back_to_bot(tracker, survey=True)

    async def _newer_ticket_open(self, tracker: Tracker) -> bool:
        """Whether the customer has an open ticket now: then the notice is about an older one (sent again
        late, e.g. by an agent's retry) and must not end the handoff she is in."""
        try:
            ticket = await self.services.desk.open_ticket_of(tracker.sender_id)
        except DeskUnavailable as exc:
            logger.warning("conversation %s: open ticket not checked before ending the handoff: %s",
                           tracker.sender_id, exc)
            return False
        if ticket is None:
            return False
        logger.info("conversation %s: a resolution notice arrived while ticket %s is open: ignored",
                    tracker.sender_id, ticket.number)
        return True
