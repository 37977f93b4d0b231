"""The dialogue policy the model is built with besides Rasa's own (named in ``config.yml``): the handoff policy."""
