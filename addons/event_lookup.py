"""Find Rasa event classes by type name once, not on every event of every tracker.

``Event.resolve_by_type`` walks every subclass of ``Event`` recursively, for
each event Rasa deserialises: loading a tracker from the tracker store replays
all its events, and under load that walk was a tenth of the Rasa server's time.
:func:`install` remembers each type name's class after its first lookup;
unknown names still get Rasa's own answer (its default, ``None`` for the old
``topic`` event, or its error).
"""

from __future__ import annotations

from typing import Callable, Dict, Optional, Text, Type

from rasa.shared.core.events import Event

_known: Dict[Text, Type[Event]] = {}
_original: Optional[Callable[..., Optional[Type[Event]]]] = None


def resolve_by_type(type_name: Text, default: Optional[Type[Event]] = None) -> Optional[Type[Event]]:
    """The event class of ``type_name``, as Rasa's ``Event.resolve_by_type`` answers it."""
    assert _original is not None
    found = _known.get(type_name)
    if found is not None:
        return found
    try:
        found = _original(type_name, None)
    except ValueError:
        found = None
    if found is not None:
        _known[type_name] = found
        return found
    return _original(type_name, default)


def install() -> None:
    """Use the remembering lookup in this process; calling it again changes nothing."""
    global _original
    if _original is None:
        _original = Event.resolve_by_type
        Event.resolve_by_type = staticmethod(resolve_by_type)  # type: ignore[assignment]
