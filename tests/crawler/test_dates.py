"""Dates: formats, eras, relative dates (time frozen), default timezones."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from crawler.extraction.dates import default_timezone, find_date_in_text, parse_date, to_utc_iso

JST = ZoneInfo("Asia/Tokyo")
CST = ZoneInfo("Asia/Shanghai")
NOW = datetime(2024, 5, 1, 12, 0, tzinfo=JST)


@pytest.mark.parametrize("text,tz,want", [
    ("2023-04-01T09:30:00+09:00", JST, "2023-04-01T00:30:00+00:00"),
    ("2023-04-01T09:30:00Z", JST, "2023-04-01T09:30:00+00:00"),
    ("2023-04-01", JST, "2023-03-31T15:00:00+00:00"),
    ("Sat, 01 Apr 2023 00:30:00 GMT", JST, "2023-04-01T00:30:00+00:00"),
    ("Sat, 01 Apr 2023 09:30:00 +0900", CST, "2023-04-01T00:30:00+00:00"),
    ("2023年4月1日 10時30分", JST, "2023-04-01T01:30:00+00:00"),
    ("2023年4月1日(土) 午後3時5分", JST, "2023-04-01T06:05:00+00:00"),
    ("2023/04/01 10:30", JST, "2023-04-01T01:30:00+00:00"),
    ("2023年04月01日 10:30", CST, "2023-04-01T02:30:00+00:00"),
    ("2023-04-01 10:30:00", CST, "2023-04-01T02:30:00+00:00"),
    ("民國112年4月1日 下午3:30", ZoneInfo("Asia/Taipei"), "2023-04-01T07:30:00+00:00"),
    ("令和5年4月1日", JST, "2023-03-31T15:00:00+00:00"),
    ("２０２３年４月１日　１０：３０", JST, "2023-04-01T01:30:00+00:00"),  # full-width digits
])
def test_absolute_dates(text, tz, want):
    assert to_utc_iso(parse_date(text, tz, NOW)) == want


@pytest.mark.parametrize("text,want", [
    ("3時間前", "2024-05-01T00:00:00+00:00"),
    ("3小时前", "2024-05-01T00:00:00+00:00"),
    ("15分前", "2024-05-01T02:45:00+00:00"),
    ("2天前", "2024-04-29T03:00:00+00:00"),
    ("昨天 10:20", "2024-04-30T01:20:00+00:00"),
    ("昨日 10:20", "2024-04-30T01:20:00+00:00"),
    ("刚刚", "2024-05-01T03:00:00+00:00"),
])
def test_relative_dates_with_frozen_now(text, want):
    assert to_utc_iso(parse_date(text, JST, NOW)) == want


def test_garbage_gives_none():
    assert parse_date("no date here", JST, NOW) is None
    assert parse_date("2023-02-30", JST, NOW) is None
    assert parse_date(None) is None


@pytest.mark.parametrize("url,lang,want", [
    ("https://www3.nhk.or.jp/news/", None, "Asia/Tokyo"),
    ("https://news.sina.com.cn/x", None, "Asia/Shanghai"),
    ("https://www.cna.com.tw/x", None, "Asia/Taipei"),
    ("http://www.example.test/", "zh-Hans", "Asia/Shanghai"),
    ("http://www.example.test/", "zh-TW", "Asia/Taipei"),
    ("http://www.example.test/", "ja", "Asia/Tokyo"),
])
def test_default_timezone(url, lang, want):
    assert default_timezone(url, lang).key == want


def test_find_date_in_byline():
    assert find_date_in_text("記者 山田太郎　2023年4月1日 10:30 更新") == "2023年4月1日 10:30"
    assert find_date_in_text("发布时间：3小时前 来源：本网") == "3小时前"
