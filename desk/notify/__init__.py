"""Reaching customers who left the chat: e-mail (a written record of the conversation and the agents' replies)."""
