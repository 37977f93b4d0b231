"""Rasa-side plugins: custom NLU components and channel connectors."""
