"""What the action server and the desk say to each other, written once.

* :mod:`contract.vocabulary`: the words both sides use (categories, priorities,
  statuses, authors, delivery kinds, push channels) and the limits of each field;
* :mod:`contract.requests`: the bodies the action server sends the desk;
* :mod:`contract.responses`: what the desk answers;
* :mod:`contract.agent_proof`: how the desk proves that an agent's words it
  pushes through Rasa come from the desk.

The desk validates with these models, serialises through them and generates its
OpenAPI document from them (``desk/openapi.py``); the action server cuts its
transcripts and summaries to these limits. Nothing here imports ``desk`` or
``actions``.
"""
