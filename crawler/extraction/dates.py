"""Publication dates: parse what pages print, return timezone-aware datetimes.

Handles ISO-8601 and RFC 2822 (feeds), CJK forms (2023年4月1日 10時30分, 2023/04/01 10:30,
2023.4.1, 下午3:30, 午後3時), Japanese eras (令和5年), Republic-of-China years (民國112年),
and relative dates (3時間前, 3小时前, 昨日, 昨天, 刚刚). A date printed without an offset is in the
source's timezone: `default_timezone` picks it from the source file, the host's TLD or the language.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

__all__ = ["parse_date", "default_timezone", "to_utc_iso", "find_date_in_text"]

_TLD_TZ = {
    "jp": "Asia/Tokyo", "cn": "Asia/Shanghai", "tw": "Asia/Taipei", "hk": "Asia/Hong_Kong",
    "sg": "Asia/Singapore", "mo": "Asia/Macau", "kr": "Asia/Seoul",
}
_ERAS = {"令和": 2018, "平成": 1988, "昭和": 1925}


def default_timezone(url: str | None = None, lang: str | None = None, source_tz: str | None = None) -> ZoneInfo:
    """Source file's timezone, else by TLD (.jp -> JST, .cn -> CST ...), else by language, else JST."""
    if source_tz:
        return ZoneInfo(source_tz)
    if url:
        host = urlsplit(url).hostname or ""
        tld = host.rsplit(".", 1)[-1]
        if tld in _TLD_TZ:
            return ZoneInfo(_TLD_TZ[tld])
    if lang:
        low = lang.lower()
        for prefix, zone in (("zh-tw", "Asia/Taipei"), ("zh-hant", "Asia/Taipei"), ("zh-hk", "Asia/Hong_Kong"),
                             ("zh-sg", "Asia/Singapore"), ("zh", "Asia/Shanghai"), ("ja", "Asia/Tokyo")):
            if low.startswith(prefix):
                return ZoneInfo(zone)
    return ZoneInfo("Asia/Tokyo")


def to_utc_iso(dt: datetime | None) -> str | None:
    return None if dt is None else dt.astimezone(UTC).isoformat()


_ISO = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?")
_YMD = re.compile(
    r"(?P<era>令和|平成|昭和|民國|民国)?\s*(?P<y>\d{1,4}|元)\s*(?:年|/|\.|-)\s*(?P<m>\d{1,2})\s*(?:月|/|\.|-)\s*"
    r"(?P<d>\d{1,2})\s*日?"
    r"(?:\s*[(（][^)）]{1,4}[)）])?"  # (土) / （星期六）
    r"(?:\s*(?:星期|週|周)[一二三四五六日天])?"
    r"(?:\s*(?P<ampm>午前|午後|上午|下午|中午|晚上|早上|凌晨|AM|PM|am|pm)?\s*"
    r"(?P<H>\d{1,2})\s*(?::|時|时|点|點)\s*(?P<M>\d{1,2})?\s*(?:分)?(?:\s*(?::)?(?P<S>\d{1,2})\s*秒?)?)?"
    r"(?:\s*(?P<tz>JST|CST|HKT|SGT|GMT|UTC|Z|[+-]\d{2}:?\d{2}))?"
)
_REL = re.compile(r"(\d+)\s*(秒|分钟|分鐘|分|小时|小時|時間|时|天|日|周|週間|週)\s*(?:前|以前)")
_TZ_NAMES = {"JST": "Asia/Tokyo", "CST": "Asia/Shanghai", "HKT": "Asia/Hong_Kong", "SGT": "Asia/Singapore",
             "GMT": "UTC", "UTC": "UTC", "Z": "UTC"}


def _offset(text: str) -> ZoneInfo | timezone | None:
    if text in _TZ_NAMES:
        return ZoneInfo(_TZ_NAMES[text])
    m = re.fullmatch(r"([+-])(\d{2}):?(\d{2})", text)
    if not m:
        return None
    delta = timedelta(hours=int(m.group(2)), minutes=int(m.group(3)))
    return timezone(-delta if m.group(1) == "-" else delta)



def _relative(text: str, now: datetime) -> datetime | None:
    t = text.strip()
    if re.search(r"刚刚|剛剛|たった今|今さっき|just now", t):
        return now
    m = _REL.search(t)
    if m:
        n, unit = int(m.group(1)), m.group(2)
        if unit == "秒":
            return now - timedelta(seconds=n)
        if unit in ("分钟", "分鐘", "分"):
            return now - timedelta(minutes=n)
        if unit in ("小时", "小時", "時間", "时"):
            return now - timedelta(hours=n)
        if unit in ("天", "日"):
            return now - timedelta(days=n)
        return now - timedelta(weeks=n)
    day = None
    if re.match(r"(昨日|昨天)", t):
        day = now.date() - timedelta(days=1)
    elif re.match(r"(一昨日|前天)", t):
        day = now.date() - timedelta(days=2)
    elif re.match(r"(今日|今天)", t):
        day = now.date()
    if day is not None:
        hm = re.search(r"(\d{1,2})[:時时点](\d{2})?", t)
        h, mi = (int(hm.group(1)), int(hm.group(2) or 0)) if hm else (0, 0)
        return datetime(day.year, day.month, day.day, h, mi, tzinfo=now.tzinfo)
    return None


def parse_date(text: str | None, tz: ZoneInfo | None = None, now: datetime | None = None) -> datetime | None:
    """Parse one date string; naive dates are taken in `tz` (default JST). None if no date."""
    if not text:
        return None
    tz = tz or ZoneInfo("Asia/Tokyo")
    s = unicodedata.normalize("NFKC", str(text)).strip()
    if not s:
        return None
    m = _ISO.search(s)
    if m and (m.start() == 0 or not s[: m.start()].strip()):
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        h, mi, sec = int(m.group(4) or 0), int(m.group(5) or 0), int(m.group(6) or 0)
        zone = _offset(m.group(7).replace("z", "Z")) if m.group(7) else tz
        try:
            return datetime(y, mo, d, h, mi, sec, tzinfo=zone)
        except ValueError:
            return None
    if re.match(r"^[A-Za-z]{3},", s) or re.search(r"\d{1,2} [A-Za-z]{3} \d{4} \d", s):
        try:
            dt = parsedate_to_datetime(s)
            return dt if dt.tzinfo else dt.replace(tzinfo=tz)
        except (TypeError, ValueError):
            pass
    m = _YMD.search(s)
    if m:
        return _from_ymd(m, tz)
    now = (now or datetime.now(tz)).astimezone(tz)
    rel = _relative(s, now)
    if rel is not None:
        return rel
    if re.fullmatch(r"\d{10}(\.\d+)?", s):  # epoch seconds (JSON APIs)
        return datetime.fromtimestamp(float(s), tz)
    return None


def _from_ymd(m: re.Match[str], tz: ZoneInfo) -> datetime | None:
    era = m.group("era")
    y = 1 if m.group("y") == "元" else int(m.group("y"))
    if era in _ERAS:
        y += _ERAS[era]
    elif era in ("民國", "民国") or (y < 200 and not era):
        y += 1911  # Republic of China calendar (also bare 112年 on Taiwanese sites)
    h = int(m.group("H")) if m.group("H") else 0
    mi = int(m.group("M")) if m.group("M") else 0
    sec = int(m.group("S")) if m.group("S") else 0
    ampm = m.group("ampm")
    if ampm in ("午後", "下午", "晚上", "PM", "pm") and h < 12:
        h += 12
    elif ampm in ("午前", "上午", "凌晨", "AM", "am") and h == 12:
        h = 0
    zone = _offset(m.group("tz")) if m.group("tz") else tz
    try:
        return datetime(y, int(m.group("m")), int(m.group("d")), h, mi, sec, tzinfo=zone)
    except ValueError:
        return None


_TEXT_DATE = re.compile(
    r"(?:(?:令和|平成|民國|民国)\s*(?:\d{1,3}|元)\s*年|\d{4}\s*[年/.\-])\s*\d{1,2}\s*[月/.\-]\s*\d{1,2}\s*日?"
    r"(?:\s*[(（][^)）]{1,4}[)）])?(?:\s*(?:星期|週|周)[一二三四五六日天])?"
    r"(?:\s*(?:午前|午後|上午|下午|中午|晚上|早上|凌晨)?\s*\d{1,2}\s*[:時时点點]\s*(?:\d{1,2}\s*分?)?)?"
    r"|\d+\s*(?:秒|分钟|分鐘|分|小时|小時|時間)\s*前|(?:昨日|昨天)\s*\d{1,2}[:時时点]\d{2}")


def find_date_in_text(text: str) -> str | None:
    """The first date-looking substring of a visible text (a dateline or byline)."""
    m = _TEXT_DATE.search(unicodedata.normalize("NFKC", text))
    return m.group(0).strip() if m else None


