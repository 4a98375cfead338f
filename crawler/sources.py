"""Source files (corpus/sources/**/*.toml): load, validate, report every problem clearly.

A source file is data: where an outlet publishes (feeds, sitemaps, listings, search pages) and,
optionally, CSS selectors where generic extraction fails. Schema: docs/architecture.md.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from parsel import Selector

__all__ = ["Source", "SourceProblem", "load_sources", "check_sources", "load_source_file", "source_files"]

ID_RE = re.compile(r"^[a-z0-9_]+$")
LANGUAGES = ("ja", "zh-Hans", "zh-Hant", "multi")
KINDS = ("news", "aggregator", "social")
_ALLOWED = {"id", "name", "language", "kind", "homepage", "country", "timezone", "verified", "enabled",
            "article_url", "feeds", "sitemaps", "listings", "search", "selectors", "platform", "notes",
            "allowed_hosts", "encoding", "max_articles"}
_SELECTOR_FIELDS = ("title", "body", "published", "author")


@dataclass
class SourceProblem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass
class Source:
    id: str
    name: str
    language: str
    kind: str
    homepage: str
    path: str = ""
    country: str | None = None
    timezone: str | None = None
    verified: bool = False
    enabled: bool = True
    article_url: str | None = None
    feeds: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    listings: list[dict[str, Any]] = field(default_factory=list)
    search: list[dict[str, Any]] = field(default_factory=list)
    selectors: dict[str, str] = field(default_factory=dict)
    allowed_hosts: list[str] = field(default_factory=list)
    platform: str | None = None
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def hosts(self) -> set[str]:
        """Hosts whose links count as this source's articles."""
        urls = [self.homepage, *self.feeds, *self.sitemaps, *(x.get("url", "") for x in self.listings)]
        found = {urlsplit(u).hostname for u in urls if u}
        return {h for h in found if h} | set(self.allowed_hosts)

    def is_article_url(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return False
        if self.article_url:
            return re.search(self.article_url, parts.path + (f"?{parts.query}" if parts.query else "")) is not None
        return True


def source_files(directory: Path) -> list[Path]:
    return sorted(p for p in Path(directory).rglob("*.toml") if not p.name.startswith("_"))


def _check_url(value: Any, where: str, problems: list[str], template: bool = False) -> None:
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{where}: must be a non-empty URL string")
        return
    parts = urlsplit(value.replace("{query}", "q"))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        problems.append(f"{where}: not an absolute http(s) URL: {value!r}")
    if template and "{query}" not in value:
        problems.append(f"{where}: search URL has no {{query}} placeholder: {value!r}")
    if not template and "{query}" in value:
        problems.append(f"{where}: {{query}} placeholder only allowed in [[search]] urls")
    stray = set(re.findall(r"\{([^}]*)\}", value)) - {"query"}
    if stray:
        problems.append(f"{where}: unknown placeholder(s) {sorted(stray)} in {value!r}")


def _check_css(css: Any, where: str, problems: list[str]) -> None:
    if not isinstance(css, str) or not css.strip():
        problems.append(f"{where}: must be a non-empty CSS selector")
        return
    try:
        Selector(text="<html></html>").css(css)
    except Exception as exc:  # noqa: BLE001 - cssselect raises several types
        problems.append(f"{where}: invalid CSS selector {css!r} ({exc.__class__.__name__})")


def validate(data: dict[str, Any], path: Path) -> list[str]:
    """Every problem of one parsed source file, as human-readable messages."""
    p: list[str] = []
    for key in ("id", "name", "language", "kind", "homepage"):
        if key not in data:
            p.append(f"missing required key `{key}`")
    unknown = set(data) - _ALLOWED
    if unknown and data.get("kind") != "social":  # platform spiders read their own keys
        p.append(f"unknown key(s): {', '.join(sorted(unknown))}")
    sid = data.get("id")
    if sid is not None:
        if not isinstance(sid, str) or not ID_RE.match(sid):
            p.append(f"id {sid!r} must match [a-z0-9_]+")
        elif sid != path.stem:
            p.append(f"id {sid!r} differs from the file name {path.stem!r} (must be <id>.toml)")
    if data.get("language") not in (None, *LANGUAGES):
        p.append(f"language {data['language']!r} must be one of {', '.join(LANGUAGES)}")
    if data.get("kind") not in (None, *KINDS):
        p.append(f"kind {data['kind']!r} must be one of {', '.join(KINDS)}")
    if "homepage" in data:
        _check_url(data["homepage"], "homepage", p)
    if data.get("timezone"):
        try:
            ZoneInfo(data["timezone"])
        except (ZoneInfoNotFoundError, ValueError):
            p.append(f"timezone {data['timezone']!r} is not an IANA zone (e.g. Asia/Tokyo)")
    for key in ("verified", "enabled"):
        if key in data and not isinstance(data[key], bool):
            p.append(f"`{key}` must be true or false")
    if data.get("article_url"):
        try:
            re.compile(data["article_url"])
        except re.error as exc:
            p.append(f"article_url is not a valid regex: {exc}")
    for key in ("feeds", "sitemaps"):
        value = data.get(key, [])
        if not isinstance(value, list):
            p.append(f"`{key}` must be a list of URLs")
            continue
        for i, url in enumerate(value):
            _check_url(url, f"{key}[{i}]", p)
    for key in ("listings", "search"):
        value = data.get(key, [])
        if not isinstance(value, list):
            p.append(f"`[[{key}]]` must be an array of tables")
            continue
        for i, entry in enumerate(value):
            where = f"{key}[{i}]"
            if not isinstance(entry, dict):
                p.append(f"{where}: must be a table")
                continue
            _check_url(entry.get("url"), f"{where}.url", p, template=(key == "search"))
            for css_key in ("links", "next"):
                if css_key in entry:
                    _check_css(entry[css_key], f"{where}.{css_key}", p)
            if "max_pages" in entry and (not isinstance(entry["max_pages"], int) or entry["max_pages"] < 1):
                p.append(f"{where}.max_pages must be a positive integer")
            if key == "search" and entry.get("encoding"):
                try:
                    "潤".encode(entry["encoding"], errors="strict")
                except LookupError:
                    p.append(f"{where}.encoding {entry['encoding']!r} is not a known encoding")
                except UnicodeEncodeError:
                    pass
            for lang in entry.get("languages", []) if key == "search" else []:
                if lang not in ("ja", "zh-Hans", "zh-Hant"):
                    p.append(f"{where}.languages: {lang!r} must be ja, zh-Hans or zh-Hant")
    selectors = data.get("selectors", {})
    if not isinstance(selectors, dict):
        p.append("[selectors] must be a table")
    else:
        for name, css in selectors.items():
            if name not in _SELECTOR_FIELDS:
                p.append(f"selectors.{name}: unknown field (use {', '.join(_SELECTOR_FIELDS)})")
            _check_css(css, f"selectors.{name}", p)
    if data.get("kind") in ("news", "aggregator") and not (data.get("feeds") or data.get("sitemaps")
                                                          or data.get("listings") or data.get("search")):
        p.append("no way to find articles: add feeds, sitemaps, [[listings]] or [[search]]")
    return p


def _build(data: dict[str, Any], path: Path) -> Source:
    return Source(
        id=data["id"], name=data["name"], language=data["language"], kind=data["kind"],
        homepage=data["homepage"], path=str(path), country=data.get("country"),
        timezone=data.get("timezone"), verified=data.get("verified", False), enabled=data.get("enabled", True),
        article_url=data.get("article_url"), feeds=list(data.get("feeds", [])),
        sitemaps=list(data.get("sitemaps", [])), listings=list(data.get("listings", [])),
        search=list(data.get("search", [])), selectors=dict(data.get("selectors", {})),
        allowed_hosts=list(data.get("allowed_hosts", [])), platform=data.get("platform"), raw=data,
    )


def load_source_file(path: Path) -> tuple[Source | None, list[SourceProblem]]:
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        return None, [SourceProblem(str(path), "not UTF-8 text")]
    except tomllib.TOMLDecodeError as exc:
        return None, [SourceProblem(str(path), f"TOML syntax error: {exc}")]
    problems = [SourceProblem(str(path), m) for m in validate(data, Path(path))]
    return (None if problems else _build(data, Path(path))), problems


def check_sources(directory: Path, recursive: bool = True) -> tuple[list[Source], list[SourceProblem]]:
    """All valid sources and every problem (including duplicate ids across files)."""
    files = source_files(directory) if recursive else sorted(Path(directory).glob("*.toml"))
    sources: list[Source] = []
    problems: list[SourceProblem] = []
    seen: dict[str, str] = {}
    for path in files:
        src, probs = load_source_file(path)
        problems.extend(probs)
        if src is None:
            continue
        if src.id in seen:
            problems.append(SourceProblem(str(path), f"duplicate id {src.id!r} (also in {seen[src.id]})"))
            continue
        seen[src.id] = str(path)
        sources.append(src)
    return sources, problems


def load_sources(directory: Path, ids: list[str] | None = None, recursive: bool = False,
                 include_disabled: bool = False) -> list[Source]:
    """Valid sources of one folder (not its subfolders unless recursive), optionally by id.

    Raises ValueError naming unknown ids; invalid files are skipped (see `check_sources`).
    """
    sources, _ = check_sources(directory, recursive=recursive)
    if ids:
        by_id = {s.id: s for s in sources}
        missing = [i for i in ids if i not in by_id]
        if missing:
            raise ValueError(f"unknown source id(s): {', '.join(missing)} (in {directory})")
        return [by_id[i] for i in ids]
    return [s for s in sources if s.enabled or include_disabled]
