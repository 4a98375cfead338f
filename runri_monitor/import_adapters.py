"""Adapters for `runri import`: platform exports -> document dicts.

Researchers often hold data from platforms without an open API. Two formats are understood:

- X/Twitter API v2 JSONL (`--format x-v2`): each line is either one response page
  ``{"data": [tweet, ...], "includes": {"users": [...], "tweets": [...]}, "meta": {...}}``
  or one tweet object (as written by twarc2 / flattened exports, author under ``"author"``).
- a generic CSV with a column mapping (`--format csv-map --map body=content,published_at=created_at`).

Both take and yield the `(line_number, record | None, error | None)` triples of
runri_monitor.importing, so a bad line is reported with its number and the rest goes on.
Authors are stored as salted hashes unless RUNRI_KEEP_HANDLES=1 (same policy as the spiders).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from crawler.platforms.common import AuthorPolicy
from runri_monitor.errors import InputError

__all__ = ["adapt_x_v2", "adapt_csv", "CSV_FIELDS", "x_status_url"]

Triple = tuple[int, dict[str, Any] | None, str | None]

X_LANGS = {"ja": "ja", "zh": "zh-Hans", "zh-cn": "zh-Hans", "zh-tw": "zh-Hant", "zh-Hant": "zh-Hant"}
X_METRICS = {"like_count": "likes", "retweet_count": "reposts", "reply_count": "replies",
             "quote_count": "quotes", "impression_count": "views", "bookmark_count": "bookmarks"}


def x_status_url(tweet_id: str) -> str:
    """Permalink without the handle (works on x.com), so hashed authors are not undone by the URL."""
    return f"https://x.com/i/web/status/{tweet_id}"


def adapt_x_v2(lines: Iterable[Triple], policy: AuthorPolicy | None = None,
               keep_retweets: bool = False) -> Iterator[Triple]:
    """X API v2 JSONL triples -> document triples (one per tweet; a page line yields several).

    kind is "comment" for replies (parent_url = the replied-to tweet) and "post" otherwise; quotes
    keep the quoted tweet in metrics.quoted_url; pure retweets are skipped unless keep_retweets
    (they repeat another tweet's text). discusses_url is the first linked non-X URL.
    """
    policy = policy or AuthorPolicy.from_env()
    for number, record, error in lines:
        if error or record is None:
            yield number, None, error or "empty line"
            continue
        if isinstance(record.get("data"), list):  # a response page
            tweets = record["data"]
            users = {u.get("id"): u for u in (record.get("includes") or {}).get("users", []) if isinstance(u, dict)}
        elif isinstance(record.get("data"), dict):  # a single-tweet lookup response
            tweets = [record["data"]]
            users = {u.get("id"): u for u in (record.get("includes") or {}).get("users", []) if isinstance(u, dict)}
        elif "id" in record and "text" in record:  # one tweet per line
            tweets, users = [record], {}
        else:
            yield number, None, "not an X API v2 tweet or response page (no data / id+text)"
            continue
        if not tweets:
            continue
        for tweet in tweets:
            try:
                doc = _tweet_doc(tweet, users, policy, keep_retweets)
            except (KeyError, TypeError, ValueError) as exc:
                yield number, None, f"bad tweet: {exc}"
                continue
            if doc is not None:
                yield number, doc, None


def _tweet_doc(tweet: dict[str, Any], users: dict[str, Any], policy: AuthorPolicy,
               keep_retweets: bool) -> dict[str, Any] | None:
    tweet_id = str(tweet["id"])
    refs = {r.get("type"): str(r.get("id")) for r in tweet.get("referenced_tweets") or [] if isinstance(r, dict)}
    if "retweeted" in refs and not keep_retweets:
        return None
    user = tweet.get("author") or users.get(tweet.get("author_id")) or {}
    metrics = {name: int(tweet.get("public_metrics", {}).get(key, 0) or 0) for key, name in X_METRICS.items()
               if key in (tweet.get("public_metrics") or {})}
    if tweet.get("conversation_id") and str(tweet["conversation_id"]) != tweet_id:
        metrics["conversation_url"] = x_status_url(str(tweet["conversation_id"]))
    if "quoted" in refs:
        metrics["quoted_url"] = x_status_url(refs["quoted"])
    links = [u.get("expanded_url") or u.get("url") for u in (tweet.get("entities") or {}).get("urls", [])]
    discusses = next((u for u in links if u and not re.match(r"https?://(www\.)?(x|twitter)\.com/", u)), None)
    parent = refs.get("replied_to") or refs.get("retweeted")
    return {
        "url": x_status_url(tweet_id),
        "canonical_url": x_status_url(tweet_id),
        "source_id": "x",
        "platform": "x",
        "kind": "comment" if "replied_to" in refs else "post",
        "title": "",
        "body": (tweet.get("note_tweet") or {}).get("text") or tweet["text"],  # long posts live in note_tweet
        "lang": X_LANGS.get(str(tweet.get("lang") or ""), None),
        "author": policy.author("x", user.get("username") or tweet.get("author_id")),
        "published_at": _iso(tweet.get("created_at"), None),
        "parent_url": x_status_url(parent) if parent else None,
        "discusses_url": discusses,
        "metrics": metrics,
    }


# Document fields a CSV column can be mapped to, plus helpers (aliases on the left).
CSV_FIELDS = ("url", "id", "title", "body", "published_at", "lang", "source_id", "platform", "kind", "author",
              "parent_url", "parent_id", "discusses_url", "likes", "reposts", "replies", "views", "tz")
_ALIASES = {"text": "body", "content": "body", "date": "published_at", "created_at": "published_at",
            "source": "source_id", "user": "author", "handle": "author", "language": "lang"}
_PERMALINKS = {"x": x_status_url, "twitter": x_status_url,
               "weibo": lambda i: f"https://m.weibo.cn/detail/{i}",
               "bilibili": lambda i: f"https://www.bilibili.com/video/{i}"}


def adapt_csv(rows: Iterable[Triple], mapping: dict[str, str],
              policy: AuthorPolicy | None = None) -> Iterator[Triple]:
    """CSV triples + {document field: CSV column} -> document triples.

    A mapping value starting with "=" is a constant (`--map platform==weibo,tz==Asia/Shanghai`).
    Fields: url (or id + platform x|weibo|bilibili to build the permalink), body (alias text),
    title, published_at (ISO-8601, epoch seconds, "2025-07-21 12:34[:56]", or Weibo's
    "Mon Jul 21 12:34:56 +0800 2025"; times without offset are read in `tz`, default UTC), lang,
    source_id, platform, kind (post|comment|article; default post, comment when a parent is given),
    author (hashed), parent_url (or parent_id), discusses_url, likes / reposts / replies / views.
    """
    fields = {_ALIASES.get(k, k): v for k, v in mapping.items()}
    unknown = sorted(set(fields) - set(CSV_FIELDS))
    if unknown:
        raise InputError(f"unknown field(s) in --map: {', '.join(unknown)} (known: {', '.join(CSV_FIELDS)})")
    policy = policy or AuthorPolicy.from_env()
    checked = False
    for number, record, error in rows:
        if error or record is None:
            yield number, None, error or "empty row"
            continue
        if not checked:  # a typo in a column name should fail loudly on the first row, once
            missing = [c for c in fields.values() if not c.startswith("=") and c not in record]
            if missing:
                yield number, None, f"--map names column(s) not in the CSV header: {', '.join(missing)}"
                return
            checked = True
        try:
            yield number, _csv_doc(record, fields, policy), None
        except ValueError as exc:
            yield number, None, str(exc)


def _csv_doc(record: dict[str, Any], fields: dict[str, str], policy: AuthorPolicy) -> dict[str, Any]:
    def get(name: str) -> str | None:
        column = fields.get(name)
        if column is None:
            return None
        value = column[1:] if column.startswith("=") else record.get(column)
        value = value.strip() if isinstance(value, str) else value
        return value or None

    platform = (get("platform") or "import").lower()
    url = get("url")
    make = _PERMALINKS.get(platform)
    if not url and get("id") and make:
        url = make(get("id"))
    if not url:
        raise ValueError("missing url (map url=<column>, or id=<column> with platform x|weibo|bilibili)")
    parent = get("parent_url") or (make(get("parent_id")) if get("parent_id") and make else None)
    metrics = {}
    for name in ("likes", "reposts", "replies", "views"):
        value = get(name)
        if value is not None:
            try:
                metrics[name] = int(float(str(value).replace(",", "")))
            except ValueError as exc:
                raise ValueError(f"{name} is not a number: {value!r}") from exc
    return {
        "url": url,
        "canonical_url": url,
        "source_id": get("source_id") or platform,
        "platform": platform if platform != "import" else "web",
        "kind": get("kind") or ("comment" if parent else "post"),
        "title": get("title") or "",
        "body": get("body") or "",
        "lang": get("lang"),
        "author": policy.author(platform, get("author")),
        "published_at": _iso(get("published_at"), get("tz")),
        "parent_url": parent,
        "discusses_url": get("discusses_url"),
        "metrics": metrics,
    }


def _iso(value: Any, tz: str | None) -> str | None:
    """Dates as exports write them -> ISO-8601 UTC; raises ValueError naming the value."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    zone = UTC
    if tz:
        try:
            zone = ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {tz!r}") from exc
    if re.fullmatch(r"\d{9,13}", text):  # epoch seconds or milliseconds
        seconds = int(text) / (1000 if len(text) == 13 else 1)
        return datetime.fromtimestamp(seconds, UTC).isoformat()
    for parse in (lambda s: datetime.fromisoformat(s.replace("Z", "+00:00")),
                  lambda s: datetime.strptime(s, "%a %b %d %H:%M:%S %z %Y"),
                  lambda s: datetime.strptime(s, "%Y/%m/%d %H:%M:%S"),
                  lambda s: datetime.strptime(s, "%Y/%m/%d %H:%M")):
        try:
            parsed = parse(text)
        except ValueError:
            continue
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=zone)
        return parsed.astimezone(UTC).isoformat()
    raise ValueError(f"published_at is not a date: {text!r}")
