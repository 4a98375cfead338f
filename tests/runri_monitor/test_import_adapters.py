from __future__ import annotations

import json

import pytest

from crawler.platforms.common import AuthorPolicy
from runri_monitor.errors import InputError
from runri_monitor.import_adapters import adapt_csv, adapt_x_v2

POLICY = AuthorPolicy(salt="t")

PAGE = {
    "data": [
        {"id": "1800000000000000001", "text": "潤日って結局どういう意味？ https://t.co/abc", "author_id": "11",
         "created_at": "2025-07-21T03:34:56.000Z", "lang": "ja", "conversation_id": "1800000000000000001",
         "public_metrics": {"retweet_count": 3, "reply_count": 1, "like_count": 20, "quote_count": 0,
                            "impression_count": 900},
         "entities": {"urls": [{"url": "https://t.co/abc",
                                "expanded_url": "http://www.tokyo-keizai.test/articles/2025/05/bmv-capital.html"}]}},
        {"id": "1800000000000000002", "text": "@jp_user 中国語で「逃げる」のrunだよ", "author_id": "12",
         "created_at": "2025-07-21T04:00:00.000Z", "lang": "ja", "conversation_id": "1800000000000000001",
         "referenced_tweets": [{"type": "replied_to", "id": "1800000000000000001"}],
         "public_metrics": {"retweet_count": 0, "reply_count": 0, "like_count": 5, "quote_count": 0}},
        {"id": "1800000000000000003", "text": "RT @jp_user: 潤日って結局どういう意味？", "author_id": "13",
         "created_at": "2025-07-21T05:00:00.000Z", "lang": "ja",
         "referenced_tweets": [{"type": "retweeted", "id": "1800000000000000001"}]},
    ],
    "includes": {"users": [{"id": "11", "username": "jp_user"}, {"id": "12", "username": "cn_user"},
                           {"id": "13", "username": "rt_user"}]},
    "meta": {"result_count": 3},
}


def triples(*records):
    return [(i, r, None) for i, r in enumerate(records, start=1)]


def test_x_page_tweets_become_posts_and_comments() -> None:
    out = list(adapt_x_v2(triples(PAGE), POLICY))
    docs = [d for _, d, e in out if d]
    assert len(docs) == 2  # the retweet repeats another tweet: skipped
    post, reply = docs
    assert post["url"] == "https://x.com/i/web/status/1800000000000000001" and post["kind"] == "post"
    assert post["published_at"] == "2025-07-21T03:34:56+00:00" and post["lang"] == "ja"
    assert post["metrics"] == {"likes": 20, "reposts": 3, "replies": 1, "quotes": 0, "views": 900}
    assert post["discusses_url"] == "http://www.tokyo-keizai.test/articles/2025/05/bmv-capital.html"
    assert reply["kind"] == "comment" and reply["parent_url"] == post["url"]
    assert reply["metrics"]["conversation_url"] == post["url"]
    assert post["author"] == POLICY.author("x", "jp_user") != "jp_user"


def test_x_keep_handles_and_flattened_tweet() -> None:
    tweet = {"id": "5", "text": "润日第一年", "lang": "zh", "created_at": "2024-01-02T03:04:05Z",
             "author": {"username": "someone"}}
    ((_, doc, _),) = adapt_x_v2(triples(tweet), AuthorPolicy(keep_handles=True))
    assert doc["author"] == "someone" and doc["lang"] == "zh-Hans"


def test_x_bad_lines_are_reported_and_the_rest_goes_on() -> None:
    lines = [(1, None, "broken JSON"), (2, {"foo": 1}, None), (3, PAGE, None)]
    out = list(adapt_x_v2(lines, POLICY))
    assert [(n, e is not None) for n, _, e in out] == [(1, True), (2, True), (3, False), (3, False)]


def test_csv_mapping_with_aliases_constants_and_time_zone() -> None:
    rows = triples({"mid": "4890", "content": "润日第三年 [doge]", "created": "2024-05-01 20:00:00",
                    "user": "小王", "likes": "1,234", "reply_to": ""})
    mapping = {"id": "mid", "text": "content", "published_at": "created", "author": "user", "likes": "likes",
               "parent_id": "reply_to", "platform": "=weibo", "lang": "=zh-Hans", "tz": "=Asia/Shanghai"}
    ((_, doc, err),) = adapt_csv(rows, mapping, POLICY)
    assert err is None
    assert doc["url"] == "https://m.weibo.cn/detail/4890" and doc["platform"] == "weibo"
    assert doc["published_at"] == "2024-05-01T12:00:00+00:00"
    assert doc["metrics"] == {"likes": 1234} and doc["kind"] == "post" and doc["body"] == "润日第三年 [doge]"
    assert doc["author"].startswith("h:")


@pytest.mark.parametrize("value, expected", [
    ("1721532896", "2024-07-21T03:34:56+00:00"),
    ("Sun Jul 21 11:34:56 +0800 2024", "2024-07-21T03:34:56+00:00"),
    ("2024/07/21 12:34", "2024-07-21T12:34:00+00:00"),
])
def test_csv_date_formats(value: str, expected: str) -> None:
    ((_, doc, _),) = adapt_csv(triples({"u": "https://a.test/1", "b": "x", "d": value}),
                               {"url": "u", "body": "b", "published_at": "d"}, POLICY)
    assert doc["published_at"] == expected


def test_csv_row_errors_name_the_problem() -> None:
    rows = triples({"u": "", "b": "x", "d": ""}, {"u": "https://a.test/2", "b": "y", "d": "yesterday"})
    out = list(adapt_csv(rows, {"url": "u", "body": "b", "published_at": "d"}, POLICY))
    assert "missing url" in out[0][2] and "not a date" in out[1][2]


def test_csv_unknown_column_fails_on_first_row_and_unknown_field_raises() -> None:
    out = list(adapt_csv(triples({"a": "1"}, {"a": "2"}), {"body": "text_col"}, POLICY))
    assert len(out) == 1 and "text_col" in out[0][2]
    with pytest.raises(InputError, match="unknown field"):
        list(adapt_csv(triples({"a": "1"}), {"colour": "a"}, POLICY))


def test_documents_pass_the_store_validation() -> None:
    from runri_monitor.store import doc_id_for, prepare_document

    rows = [prepare_document(doc) for _, doc, _ in adapt_x_v2(triples(PAGE), POLICY)]
    assert [r["platform"] for r in rows] == ["x", "x"]
    assert rows[1]["parent_id"] == doc_id_for(rows[0]["canonical_url"])
    assert json.loads(rows[0]["metrics"])["likes"] == 20


def test_import_file_x_v2(tmp_path) -> None:
    from runri_monitor.importing import import_file
    from runri_monitor.store import Store

    path = tmp_path / "tweets.jsonl"
    path.write_text(json.dumps(PAGE, ensure_ascii=False) + "\n{broken\n", encoding="utf-8")
    report = import_file(Store.open(tmp_path / "t.db"), path, fmt="x-v2")
    assert report.imported == 2 and len(report.errors) == 1 and report.errors[0].line == 2
