"""The action server package (rasa-sdk): custom actions and form validation.

Importing it masks personal data in every log record of the process
(:mod:`support.log_masking`): the action server handles customer text, so this
holds however the server is started (``rasa run actions``, ``python -m actions.server``).
"""

from support import log_masking

log_masking.install()
