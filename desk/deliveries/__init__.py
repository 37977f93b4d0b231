"""Deliveries: the outbox of agents' replies, read by the worker that sends them through Rasa."""
