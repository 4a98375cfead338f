"""Log dropped (irrelevant) items at DEBUG with their URL only: they are counted, not errors."""

from __future__ import annotations

import logging
from typing import Any

from scrapy.logformatter import LogFormatter


class QuietDropsLogFormatter(LogFormatter):
    def dropped(self, item: Any, exception: BaseException, response: Any, spider: Any = None) -> dict[str, Any]:
        return {"level": logging.DEBUG, "msg": "Dropped: %(exception)s", "args": {"exception": exception}}
