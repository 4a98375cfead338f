from __future__ import annotations

import json

from social_helpers import WEB, body, ctx, fetch

from crawler.platforms import mastodon
from runri_monitor.webserver import OfflineWeb

HOST = "mstdn.jp"
TAG = "/api/v1/timelines/tag/潤日"
URL = "http://mstdn.jp/api/v1/timelines/tag/%E6%BD%A4%E6%97%A5?limit=10"


def page1():
    return mastodon.parse_timeline(body(HOST, TAG, limit="10"), ctx("mastodon"), URL, None, 10, 1)


def test_full_page_without_link_header_asks_for_max_id() -> None:
    result = page1()
    assert len(result.items) == 10
    (nxt,) = result.requests
    data = json.loads(body(HOST, TAG, limit="10"))
    assert nxt.url.endswith(f"max_id={data[-1]['id']}") and nxt.meta == {"page": 2, "limit": 10}


def test_link_header_wins() -> None:
    link = '<https://mstdn.jp/api/v1/timelines/tag/x?max_id=5>; rel="next", <https://mstdn.jp/x>; rel="prev"'
    result = mastodon.parse_timeline(body(HOST, TAG, limit="10"), ctx("mastodon"), URL, link, 10, 1)
    assert result.requests[0].url == "https://mstdn.jp/api/v1/timelines/tag/x?max_id=5"


def test_429_then_last_page() -> None:
    max_id = page1().requests[0].url.split("max_id=")[1]
    web = OfflineWeb(WEB)
    assert fetch(HOST, TAG, web, limit="10", max_id=max_id)[0] == 429
    status, data = fetch(HOST, TAG, web, limit="10", max_id=max_id)
    assert status == 200
    last = mastodon.parse_timeline(data.decode(), ctx("mastodon"), URL, None, 10, 2)
    assert len(last.items) == 8 and not last.requests


def all_items():
    max_id = page1().requests[0].url.split("max_id=")[1]
    return page1().items + mastodon.parse_timeline(
        body(HOST, TAG, limit="10", max_id=max_id), ctx("mastodon"), URL, None, 10, 2).items


def test_status_fields_and_reply_links() -> None:
    items = all_items()
    by_url = {i.url: i for i in items}
    replies = [i for i in items if i.parent_url]
    assert len(replies) == 3 and all(r.parent_url in by_url and r.kind == "comment" for r in replies)
    first = next(i for i in items if i.body.startswith("潤日って言葉"))
    assert first.published_at == "2023-03-10T01:00:00+00:00"
    assert first.url.startswith("https://mstdn.jp/web/statuses/") and first.author.startswith("h:")
    assert "#潤日" in first.body and "<" not in first.body
    assert {"likes", "reposts", "replies"} == set(first.metrics)


def test_language_field_maps_to_script() -> None:
    items = page1().items
    langs = {i.body[:6]: i.lang for i in items}
    assert langs["潤日的朋友越"] == "zh-Hant"
    assert "zh-Hans" in langs.values() and "ja" in langs.values()


def test_card_link_is_discussed_article() -> None:
    assert "http://news.toto-hoso.test/news/20240312/t240312.html" in {
        i.discusses_url for i in all_items()}


def test_search_v2_and_reblog_unwrapped() -> None:
    result = mastodon.parse_search(body("fedibird.com", "/api/v2/search", q="润日", type="statuses"),
                                   ctx("mastodon"), "http://fedibird.com/api/v2/search?q=x")
    assert len(result.items) == 5 and result.items[0].url.startswith("https://fedibird.com/web/statuses/")
    status = json.loads(body("fedibird.com", "/api/v2/search", q="润日", type="statuses"))["statuses"][0]
    boost = {**status, "id": "999", "content": "", "reblog": status}
    again = mastodon.parse_search(json.dumps({"statuses": [boost]}), ctx("mastodon"), "http://fedibird.com/x")
    assert again.items[0].url == result.items[0].url
