"""What Rasa runs with besides the model: the tracker store, and this process's changes to Rasa.

Rasa imports this package for the tracker store named in ``endpoints.yml`` (both
profiles), before the first message. That import masks personal data in every
log record of the Rasa process (:mod:`support.log_masking`, also when Rasa was
started without ``--logging-config-file logging.yml``) and installs the patches
of :mod:`runtime.rasa_patches`, which first check that this is the Rasa they
were written for and otherwise stop the start with a clear message.
"""

from runtime import rasa_patches
from support import log_masking

log_masking.install()
rasa_patches.install()
