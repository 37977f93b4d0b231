"""Tickets: the requests agents work on."""
