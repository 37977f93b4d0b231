"""Rasa-side plugins: custom NLU components and channel connectors.

Rasa imports this package for the channels and the NLU pipeline, before the
first message: that masks personal data in every log record of the Rasa
process (:mod:`support.log_masking`), also when it was started without
``--logging-config-file logging.yml``.
"""

from support import log_masking

log_masking.install()
