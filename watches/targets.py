"""A watch's notification targets as they may be shown: apprise URLs with their passwords and
tokens hidden. Every output that names a target (lists, health, errors) shows it through here."""

from __future__ import annotations

import apprise


def redact(target: str) -> str:
    """A target URL with its password and tokens hidden (apprise's privacy mode)."""
    plugin = apprise.Apprise.instantiate(target, suppress_exceptions=True)
    if not plugin:
        return target.split("://", 1)[0] + "://…"
    return plugin.url(privacy=True).split("?", 1)[0]  # options (and any token in them) cut
