"""The NLU components the model is trained from (named in ``config.yml``): Kiwi tokenizer, entities, FAQ selector."""
