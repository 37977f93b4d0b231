"""Deliveries: agents' replies and notices waiting to reach the customer, and the worker that pushes them through Rasa."""
