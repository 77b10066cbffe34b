"""UTC offsets as profiles and timestamps write them: "+08:00", "+0800", "-05:00"."""

from __future__ import annotations

import re
from datetime import timedelta, timezone

OFFSET = re.compile(r"^([+-])(\d{2}):?(\d{2})$")


def parse_offset(text: str) -> timezone | None:
    """"+08:00" → UTC+8; None when the text is no offset (or beyond ±14:59)."""
    m = OFFSET.match(text.strip())
    if not m or int(m.group(2)) > 14 or int(m.group(3)) > 59:
        return None
    delta = timedelta(hours=int(m.group(2)), minutes=int(m.group(3)))
    return timezone(-delta if m.group(1) == "-" else delta)
