"""Agents: the people who work in the console, their passwords and sessions."""
