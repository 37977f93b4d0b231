"""The action server package (rasa-sdk): custom actions and form validation."""
