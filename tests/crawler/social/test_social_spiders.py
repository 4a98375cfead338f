"""The spiders themselves (without running a crawl): registration, start URLs, credentials."""

from __future__ import annotations

import asyncio
import logging

import pytest
from scrapy.settings import Settings
from scrapy.spiderloader import SpiderLoader

from crawler.spiders.social.base import SocialSpider
from crawler.spiders.social.bilibili import BilibiliSpider
from crawler.spiders.social.fivech import FivechSpider
from crawler.spiders.social.hatena import HatenaSpider
from crawler.spiders.social.mastodon import MastodonSpider
from crawler.spiders.social.tieba import TiebaSpider
from crawler.spiders.social.weibo import WeiboSpider
from crawler.spiders.social.yahoo import YahooSpider

SPIDERS = [HatenaSpider, FivechSpider, YahooSpider, WeiboSpider, BilibiliSpider, TiebaSpider, MastodonSpider]


def start_urls(spider: SocialSpider) -> list[str]:
    async def collect() -> list[str]:
        return [r.url async for r in spider.start()]

    return asyncio.run(collect())


def test_spider_loader_finds_every_platform_by_name() -> None:
    names = set(SpiderLoader.from_settings(Settings({"SPIDER_MODULES": ["crawler.spiders"]})).list())
    assert {"hatena", "5ch", "yahoo", "weibo", "bilibili", "tieba", "mastodon"} <= names


@pytest.mark.parametrize("cls", SPIDERS, ids=lambda c: c.name)
def test_name_is_platform_and_source_file(cls: type[SocialSpider]) -> None:
    spider = cls()
    assert spider.name == spider.platform == spider.source_id == spider.config["platform"]


@pytest.mark.parametrize("cls", SPIDERS, ids=lambda c: c.name)
def test_real_https_urls_online_http_offline(cls: type[SocialSpider]) -> None:
    spider = cls()
    online = start_urls(spider)
    assert online and all(u.startswith("https://") for u in online)
    spider.offline = True
    assert [u.replace("http://", "https://", 1) for u in start_urls(spider)] == online


def test_weibo_says_when_the_cookie_is_missing(monkeypatch, caplog) -> None:
    monkeypatch.delenv("RUNRI_WEIBO_COOKIE", raising=False)
    with caplog.at_level(logging.WARNING):
        start_urls(WeiboSpider())
    assert "RUNRI_WEIBO_COOKIE is not set" in caplog.text


def test_cookie_comes_from_the_env_variable_named_in_the_source(monkeypatch) -> None:
    monkeypatch.setenv("RUNRI_WEIBO_COOKIE", "SUB=secret")
    spider = WeiboSpider()
    assert spider.headers()["Cookie"] == "SUB=secret"
    assert "secret" not in str(spider.config)  # only the variable's name is in the source file


def test_base_url_override_from_config() -> None:
    spider = BilibiliSpider(config={"id": "bilibili", "queries": ["润日"], "base_url": "https://mirror.example"})
    assert start_urls(spider)[0].startswith("https://mirror.example/x/web-interface/search/type?")


def weibo_response(body: str, attempt: int = 0):
    from scrapy import Request
    from scrapy.http import TextResponse

    req = Request("http://m.weibo.cn/api/container/getIndex?page=1", meta={"runri_social_attempt": attempt})
    return TextResponse(req.url, body=body.encode(), encoding="utf-8", request=req)


def run_callback(spider: SocialSpider, response) -> list:
    async def collect() -> list:
        return [x async for x in spider.on_response(response, "search", {"query": "润日", "page": 1})]

    return asyncio.run(collect())


def test_rate_limit_answer_is_retried_then_given_up() -> None:
    from crawler.pipelines import _STATS

    spider = WeiboSpider(config={"id": "weibo_test", "queries": []})
    spider.backoff_base = 0.0
    limited = '{"ok":0,"errno":"100005","msg":"请求过于频繁，歇歇吧"}'
    (retry,) = run_callback(spider, weibo_response(limited))
    assert retry.dont_filter and retry.meta == {"runri_social_attempt": 1}
    assert run_callback(spider, weibo_response(limited, attempt=spider.max_attempts - 1)) == []
    assert _STATS["weibo_test"]["errors/rate_limited"] == 1 and _STATS["weibo_test"]["rate_limited"] == 2


def test_malformed_answer_is_counted_and_skipped(caplog) -> None:
    from crawler.pipelines import _STATS

    spider = WeiboSpider(config={"id": "weibo_test2", "queries": []})
    with caplog.at_level(logging.WARNING):
        assert run_callback(spider, weibo_response('{"ok":1,"data":{"cards":[')) == []
    assert _STATS["weibo_test2"]["errors/parse"] == 1 and "malformed JSON" in caplog.text
