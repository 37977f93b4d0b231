"""Each change to Rasa's code does what it says, and Rasa refuses to start under one it was not written for.

Every test here fails when its patch's effect is gone: they call Rasa's own classes
as Rasa does, with the patches installed the way a running Rasa gets them (by
importing :mod:`runtime`).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from aiohttp import web
from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

import runtime  # noqa: F401 - Rasa's import of the package installs the patches
from local_servers import stand_in
from processes import free_port
from runtime import rasa_patches

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = Domain.load(str(ROOT / "domain.yml"))


def test_importing_the_package_installs_every_patch():
    assert rasa_patches.installed()
    assert RemoteAction.run is rasa_patches.guarded_run
    assert RemoteAction._validate_action_result is rasa_patches.validate_action_result
    assert Event.resolve_by_type is rasa_patches.resolve_by_type


def test_another_rasa_version_refuses_to_start():
    with pytest.raises(rasa_patches.RasaPatchError, match="3.7.0"):
        rasa_patches.check_rasa("3.7.0", rasa_patches._targets())


def test_a_patched_function_with_other_parameters_refuses_to_start():
    async def run(self, output_channel, nlg, tracker, domain, new_argument):  # what a future Rasa might have
        return []

    targets = {**rasa_patches._targets(), "RemoteAction.run": run}
    with pytest.raises(rasa_patches.RasaPatchError, match="RemoteAction.run"):
        rasa_patches.check_rasa(rasa_patches.RASA_VERSION, targets)


def test_this_rasa_is_the_one_the_patches_were_written_for():
    import rasa

    rasa_patches.check_rasa(rasa.__version__, rasa_patches._targets())


# -- 1. the action guard ----------------------------------------------------------------------------


def tracker() -> DialogueStateTracker:
    return DialogueStateTracker.from_events("rest:guard", [UserUttered("배달이 너무 늦어요", {"name": "delay"})])


async def run_against(url: str, action: str = "action_create_ticket"):
    remote = RemoteAction(action, EndpointConfig(url=url))
    nlg = TemplatedNaturalLanguageGenerator(DOMAIN.responses)
    return await remote.run(CollectingOutputChannel(), nlg, tracker(), DOMAIN)


async def test_an_action_server_that_is_down_gets_the_customer_an_apology():
    events = await run_against(f"http://127.0.0.1:{free_port()}/webhook")
    [said] = events
    assert isinstance(said, BotUttered) and "일시적인 문제" in said.text


async def test_a_form_validation_that_fails_marks_the_slot_so_the_form_asks_again():
    events = await run_against(f"http://127.0.0.1:{free_port()}/webhook", "validate_problem_form")
    assert SlotSet(rasa_patches.FAILURE_SLOT, "validate_problem_form") in events


async def test_a_hanging_action_server_is_cut_off(monkeypatch):
    async def hang(_request):
        await asyncio.sleep(30)
        return web.json_response({})

    monkeypatch.setenv("ACTION_CALL_TIMEOUT", "0.5")
    async with stand_in([web.post("/webhook", hang)]) as url:
        events = await asyncio.wait_for(run_against(f"{url}/webhook"), 10)
    assert [type(event) for event in events] == [BotUttered]


async def test_slot_mapping_validation_fails_silently():
    assert await run_against(f"http://127.0.0.1:{free_port()}/webhook", "action_validate_slot_mappings") == []


# -- 2. the response check --------------------------------------------------------------------------


def test_action_responses_are_checked_without_checking_the_schema_each_time(monkeypatch):
    checks = []
    validator_class = validator_for(RemoteAction.action_response_format_spec())
    original = validator_class.check_schema
    monkeypatch.setattr(validator_class, "check_schema", classmethod(lambda cls, schema: checks.append(1) or original(schema)))
    action = RemoteAction("action_create_ticket", None)
    rasa_patches.response_validator()  # built once per process
    checks.clear()
    for _ in range(3):
        assert action._validate_action_result({"events": [], "responses": [{"text": "네"}]})
    assert checks == []


def test_a_bad_action_response_is_still_refused_with_rasas_message():
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        RemoteAction("action_create_ticket", None)._validate_action_result({"events": "not a list"})


# -- 3. the event lookup ----------------------------------------------------------------------------


def test_event_classes_are_looked_up_once(monkeypatch):
    import rasa.shared.utils.common as common

    walks = []
    original = common.all_subclasses
    monkeypatch.setattr(common, "all_subclasses", lambda cls: walks.append(cls) or original(cls))
    for name in ("user", "slot"):  # the first lookup of a name may walk the classes
        Event.resolve_by_type(name)
    walks.clear()
    for _ in range(5):
        assert Event.resolve_by_type("user") is UserUttered
        assert Event.resolve_by_type("slot") is SlotSet
    assert walks == [], "a name looked up before is not walked for again"


def test_unknown_event_names_get_rasas_own_answer():
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no_such_event", default=SlotSet) is SlotSet
    with pytest.raises(ValueError):
        Event.resolve_by_type("no_such_event")
