"""URL canonicalization: one key per article whatever link, feed or device variant we came from."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

__all__ = ["canonicalize_url", "choose_canonical", "same_site", "TRACKING_PARAMS"]

# Exact names and prefixes of query parameters that only track the click, never select content.
TRACKING_PARAMS = {
    "fbclid", "gclid", "dclid", "msclkid", "yclid", "igshid", "mc_cid", "mc_eid", "spm", "scm",
    "from", "ref", "ref_src", "referrer", "share", "share_source", "share_medium", "shareid", "wfr",
    "isappinstalled", "vd_source", "cmpid", "ncid", "rss", "rssid", "ito", "n_cid", "cx_testId",
    "cx_testVariant", "amp", "outputtype", "mode", "_ga", "src", "via", "feature", "utm",
}
TRACKING_PREFIXES = ("utm_", "at_", "pk_", "mtm_", "hmsr", "_hs", "cx_")
_MOBILE_HOST = re.compile(r"^(?:m|sp|amp|mobile|wap|touch)\.")
_AMP_PATH = (re.compile(r"/amp/?$"), re.compile(r"^/amp(/.+)$"), re.compile(r"\.amp(\.html?)$"),
             re.compile(r"/amp(\.html?)$"))


def _is_tracking(name: str) -> bool:
    low = name.lower()
    return low in TRACKING_PARAMS or low.startswith(TRACKING_PREFIXES)


def canonicalize_url(url: str, base: str | None = None) -> str:
    """Lowercase scheme/host, drop default port, fragment, tracking params, AMP and mobile
    variants and a trailing slash (except the root); sort the remaining query parameters."""
    if base:
        url = urljoin(base, url)
    parts = urlsplit(url.strip())
    scheme = (parts.scheme or "http").lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if _MOBILE_HOST.match(host) and host.count(".") >= 2:
        host = "www." + _MOBILE_HOST.sub("", host)
    port = parts.port
    netloc = host if port is None or (scheme, port) in (("http", 80), ("https", 443)) else f"{host}:{port}"
    path = re.sub(r"/{2,}", "/", parts.path or "/")
    for pattern in _AMP_PATH:
        m = pattern.search(path)
        if m:
            path = path[: m.start()] + (m.group(1) if m.groups() else "") if pattern.pattern.startswith("\\.") \
                else pattern.sub(lambda mm: mm.group(1) if mm.groups() and mm.group(1) else "", path)
            break
    if path.endswith("/index.html") or path.endswith("/index.htm"):
        path = path.rsplit("/", 1)[0] + "/"
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
    return urlunsplit((scheme, netloc, path or "/", urlencode(sorted(query)), ""))


def _site(host: str) -> str:
    """Registrable-ish part: the last two labels, three for xx.co.jp / com.cn style hosts."""
    labels = host.lower().split(".")
    n = 3 if len(labels) >= 3 and labels[-2] in ("co", "com", "ne", "or", "org", "net", "gov", "edu", "ac") else 2
    return ".".join(labels[-n:])


def same_site(a: str, b: str) -> bool:
    return _site(urlsplit(a).hostname or "") == _site(urlsplit(b).hostname or "")


def choose_canonical(fetched_url: str, declared: list[str | None]) -> str:
    """rel=canonical / og:url when on the same site as the fetched page, else the fetched URL."""
    for cand in declared:
        if cand and cand.strip():
            absolute = urljoin(fetched_url, cand.strip())
            if absolute.startswith("http") and same_site(absolute, fetched_url):
                return canonicalize_url(absolute)
    return canonicalize_url(fetched_url)
