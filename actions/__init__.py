"""The action server package (rasa-sdk): custom actions and form validation.

``python -m actions.server`` builds and runs it (:mod:`actions.server`); the
actions work with the services it opens when it starts (:mod:`actions.services`).
Importing the package changes nothing in the process.
"""
