"""What "now" is for a build.

Upcoming vs past, digest periods and feed dates depend on it. Like MkDocs itself, it
comes from SOURCE_DATE_EPOCH when set, so that the same input gives the same bytes out.
"""

from __future__ import annotations

import os
from datetime import datetime
from zoneinfo import ZoneInfo

TOKYO = ZoneInfo("Asia/Tokyo")


def resolve_now(pinned: str | datetime | None = None) -> datetime:
    """SOURCE_DATE_EPOCH, else a pinned time from the configuration (sample content only), else the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.fromtimestamp(int(epoch), TOKYO)
    if pinned:
        value = pinned if isinstance(pinned, datetime) else datetime.fromisoformat(str(pinned))
        return value.astimezone(TOKYO) if value.tzinfo else value.replace(tzinfo=TOKYO)
    return datetime.now(TOKYO)
