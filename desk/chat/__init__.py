"""The in-app web chat: the page an app embeds, customer identity tokens, photo uploads."""
