"""Helpers shared by the platform parsers: author hashing, text cleanup, dates, page results."""

from __future__ import annotations

import hashlib
import html
import os
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from crawler.items import DocumentItem

__all__ = [
    "Context",
    "AuthorPolicy",
    "NextRequest",
    "PageResult",
    "ParseError",
    "RateLimited",
    "guess_lang",
    "html_to_text",
    "now_utc",
    "offline_url",
    "to_utc_iso",
]

JST = timezone(timedelta(hours=9))
CST = timezone(timedelta(hours=8))

# Default salt only so that hashes are stable in tests; real runs should set RUNRI_AUTHOR_SALT.
DEFAULT_SALT = "runri-monitor-default-salt"


class ParseError(ValueError):
    """The response is not what the platform normally sends (malformed JSON, missing fields)."""


class RateLimited(Exception):
    """The platform asked us to slow down (HTTP 429, bilibili code -412, weibo ok:0 ...)."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass
class NextRequest:
    """A request the spider should make next; `callback` names a parser step of the platform."""

    url: str
    callback: str
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class PageResult:
    items: list[DocumentItem] = field(default_factory=list)
    requests: list[NextRequest] = field(default_factory=list)
    skipped: int = 0  # entries dropped (deleted posts, malformed records)


@dataclass(frozen=True)
class AuthorPolicy:
    """How authors are stored: a salted hash by default (research ethics), raw handles on request.

    The same handle always gives the same hash for one salt, so threads by one author still link up.
    """

    salt: str = DEFAULT_SALT
    keep_handles: bool = False

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> AuthorPolicy:
        env = os.environ if env is None else env
        keep = env.get("RUNRI_KEEP_HANDLES", "").strip().lower() in {"1", "true", "yes"}
        return cls(salt=env.get("RUNRI_AUTHOR_SALT") or DEFAULT_SALT, keep_handles=keep)

    def author(self, platform: str, handle: str | None) -> str | None:
        if not handle:
            return None
        if self.keep_handles:
            return handle
        digest = hashlib.sha256(f"{self.salt}\x00{platform}\x00{handle}".encode()).hexdigest()
        return f"h:{digest[:16]}"


_TAG = re.compile(r"<[^>]+>")
_BR = re.compile(r"<br\s*/?>|</p>\s*<p[^>]*>", re.I)
_IMG_ALT = re.compile(r"<img[^>]*?\salt=\"([^\"]*)\"[^>]*>", re.I)
_WS = re.compile(r"[ \t\u3000]+")


def html_to_text(fragment: str | None) -> str:
    """Platform HTML snippets (weibo text, mastodon content) to plain text, lines kept."""
    if not fragment:
        return ""
    text = _BR.sub("\n", fragment)
    text = _IMG_ALT.sub(r"\1", text)  # weibo / bilibili emoticons are <img alt="[笑cry]">: keep the alt
    text = _TAG.sub("", text)
    text = html.unescape(text)
    lines = [_WS.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


_KANA = re.compile(r"[\u3040-\u30ff]")


def guess_lang(text: str, default: str) -> str:
    """Cheap language hint for posts; kana means Japanese. The NLP stage decides for real."""
    if _KANA.search(text or ""):
        return "ja"
    return default


def to_utc_iso(dt: datetime) -> str:
    if dt.tzinfo is None:
        raise ParseError(f"naive datetime {dt!r}")
    return dt.astimezone(UTC).isoformat()


def epoch_to_iso(value: Any) -> str:
    try:
        return datetime.fromtimestamp(int(value), UTC).isoformat()
    except (TypeError, ValueError, OverflowError) as exc:
        raise ParseError(f"bad epoch {value!r}") from exc


def now_utc() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def offline_url(url: str, offline: bool) -> str:
    """Switch https:// to http:// in offline mode.

    Why: the offline web is a plain HTTP proxy; an https:// request through it would need CONNECT
    and TLS, which it does not speak. Fixtures live under the real host names, so only the scheme
    changes. Canonical URLs stored in documents always keep the real https:// form.
    """
    if not offline:
        return url
    parts = urlsplit(url)
    if parts.scheme == "https":
        return urlunsplit(("http", *parts[1:]))
    return url


def canonical_https(url: str) -> str:
    """The stored (canonical) form of a platform URL: https, whatever scheme was fetched."""
    parts = urlsplit(url)
    if parts.scheme == "http":
        return urlunsplit(("https", *parts[1:]))
    return url


def int_or_zero(value: Any) -> int:
    """Counts arrive as ints, strings, or '1.2万' on Chinese sites; unknown -> 0."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value)
    if isinstance(value, str):
        s = value.strip().replace(",", "")
        mult = 1
        if s.endswith("万"):
            mult, s = 10_000, s[:-1]
        elif s.endswith("亿"):
            mult, s = 100_000_000, s[:-1]
        try:
            return int(float(s) * mult)
        except ValueError:
            return 0
    return 0


@dataclass
class Context:
    """What a parser needs besides the response: who we are and how to treat authors."""

    source_id: str
    policy: AuthorPolicy = field(default_factory=AuthorPolicy)
    fetched_at: str | None = None
    max_pages: int = 5
    default_lang: str = "ja"

    def item(self, **fields: Any) -> DocumentItem:
        fields.setdefault("fetched_at", self.fetched_at or now_utc())
        fields.setdefault("source_id", self.source_id)
        return DocumentItem(**fields)

    def post(self, platform: str, *, url: str, body: str, handle: str | None, default_lang: str,
             **fields: Any) -> DocumentItem:
        """A post or comment: its URL is its canonical URL, its language is guessed from the body
        unless given, and its author is stored as the policy says (salted hash by default)."""
        fields.setdefault("lang", guess_lang(body, default_lang))
        return self.item(url=url, canonical_url=url, body=body, platform=platform,
                         author=self.policy.author(platform, handle), **fields)
