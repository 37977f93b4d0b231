"""Domain logic shared by the Rasa plugins and the action server."""
