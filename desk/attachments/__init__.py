"""Attachments: customers' photos, checked by decoding, re-encoded, with thumbnails."""
