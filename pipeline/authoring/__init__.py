"""Authoring helpers for editors: `gongkai new` (a new item from its schema) and `gongkai normalize`."""
