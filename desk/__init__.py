"""The desk: the human-handoff service (tickets for agents), a Sanic + SQLAlchemy app."""
