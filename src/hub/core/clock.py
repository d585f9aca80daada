"""What "now" is for a build.

Upcoming vs past, digest periods and feed dates depend on it. Like MkDocs itself, it
comes from SOURCE_DATE_EPOCH when set, so that the same input gives the same bytes out.
Both it and the `now:` setting are written by people: a value that is not a time is a
problem naming the variable or the line of mkdocs.yml, not a bare ValueError.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from hub.core.problems import ContentError, Problem
from hub.core.settings import CONFIG_FILE, config_line

TOKYO = ZoneInfo("Asia/Tokyo")
EPOCH_VARIABLE = "SOURCE_DATE_EPOCH"
ENVIRONMENT = "(環境変数 environment)"
NOW_KEYS = ("extra", "hub", "now")
# The years a build's "now" and every date of the content may fall in. Python's dates end at
# 9999-12-31: a time there plus any offset or duration (an end, a calendar's time zone)
# overflows deep inside a writer.
FIRST_YEAR, LAST_YEAR = 1900, 2100


def resolve_now(pinned: str | datetime | None = None, root: Path | None = None) -> datetime:
    """SOURCE_DATE_EPOCH, else a pinned time from the configuration (sample content only), else the clock.

    `root` is the project folder, for the line of `now:` in a message about it.
    """
    epoch = os.environ.get(EPOCH_VARIABLE)
    if epoch:
        return _from_epoch(epoch)
    if pinned:
        return _pinned(pinned, root)
    return datetime.now(TOKYO)


def _from_epoch(epoch: str) -> datetime:
    try:
        moment = datetime.fromtimestamp(int(epoch.strip()), TOKYO)
    except (ValueError, OverflowError, OSError):
        moment = None
    if moment is None or not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise ContentError([Problem(ENVIRONMENT, 0, EPOCH_VARIABLE,
                                    f"環境変数 {EPOCH_VARIABLE} の値「{epoch}」は日時として読めません"
                                    f"（{EPOCH_VARIABLE} must be whole seconds since 1970-01-01 UTC）",
                                    f"1970-01-01 からの秒数を整数で書いてください（例: {EPOCH_VARIABLE}=1612137600）。"
                                    "使わないときは設定を消してください（unset it）")])
    return moment


def _pinned(pinned: str | datetime, root: Path | None) -> datetime:
    try:
        value = pinned if isinstance(pinned, datetime) else datetime.fromisoformat(str(pinned).strip())
    except ValueError:
        value = None
    if value is None or not FIRST_YEAR <= value.year <= LAST_YEAR:
        line = config_line(root, NOW_KEYS) if root is not None else 1
        raise ContentError([Problem(CONFIG_FILE, line, ".".join(NOW_KEYS),
                                    f"now の値「{pinned}」は日時として読めません（not a date and time）",
                                    "例: now: 2021-02-01T09:00:00+09:00（サンプル用の設定です。本番では行ごと削除してください）")])
    return value.astimezone(TOKYO) if value.tzinfo else value.replace(tzinfo=TOKYO)
