"""Article extraction: title, body, author, published date, canonical URL, language.

Several extractors propose candidates per field and the best one wins (news-please's idea):
per-source CSS selectors (from the source file) > structured metadata (JSON-LD, OpenGraph,
<meta>) > the page's own markup (h1, <time>, bylines) > trafilatura. The body comes from the
densest block of paragraphs after boilerplate removal; trafilatura is the fallback and the
cross-check (see `_choose_body`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import lxml.html
from lxml import etree
from parsel import Selector

from crawler.extraction.canonical import choose_canonical
from crawler.extraction.dates import default_timezone, find_date_in_text, parse_date, to_utc_iso
from crawler.extraction.language import detect_language

__all__ = ["Article", "ExtractOptions", "extract_article", "clean_text"]


@dataclass
class ExtractOptions:
    """Everything extraction needs to know about the source (one object, not ten kwargs)."""

    selectors: dict[str, str] = field(default_factory=dict)
    timezone: str | None = None  # source timezone for dates printed without an offset
    language: str | None = None  # source language (hint only)
    site_name: str | None = None
    now: datetime | None = None  # for relative dates (tests freeze it)
    date_hint: str | None = None  # from the feed / sitemap entry, used when the page has none


@dataclass
class Article:
    url: str
    canonical_url: str
    title: str = ""
    body: str = ""
    author: str | None = None
    published_at: str | None = None  # ISO-8601 UTC
    lang: str = "other"
    description: str = ""
    site_name: str | None = None
    candidates: dict[str, dict[str, Any]] = field(default_factory=dict)  # per field, for debugging


# Class / id words of blocks that are never the article text (strong), and of blocks that usually
# are not but sometimes wrap it (weak: kept when they hold a lot of prose, e.g. "article-info").
_BOILER = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|gnav|menu|footer|sidebar|breadcrumbs?|related|recommend\w*|"
    r"ranking|popular|comments?|share|sns|social|ad|ads|advert\w*|banner|promo|sponsor\w*|"
    r"pagination|pager|copyright|subscribe|newsletter|widget|modal|cookie|login|toolbar|"
    r"pickup|osusume|kanren|taglist|tags?|caption|figcaption|byline|author)(?:$|[\s_-])",
    re.IGNORECASE,
)
_WEAK_BOILER = re.compile(
    r"(?:^|[\s_-])(?:header|side|aside|pr|more|readmore|hot|rank|photo|credit|date|meta|info|source|editor)"
    r"(?:$|[\s_-])", re.IGNORECASE)
_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "form", "button", "nav", "aside",
              "footer", "header", "figure", "figcaption", "svg", "select", "input", "time")
_BLOCKS = ("p", "h2", "h3", "h4", "blockquote", "li", "pre")
_CJK = "\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
_WRAP_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}])[ \t\u3000]*[\r\n]\s*(?=[{_CJK}])")
_WS = re.compile(r"[ \t\r\n\u00a0\u3000]+")
_BOILER_TEXT = re.compile(
    r"^(?:関連記事|関連ニュース|あわせて読みたい|おすすめ|人気記事|ランキング|広告|PR|シェア|"
    r"相关阅读|相关新闻|相關新聞|延伸閱讀|推荐阅读|推薦閱讀|热门|熱門|广告|廣告|分享|责任编辑|責任編輯|"
    r"【?関連】?|Copyright|©|\(C\)|（C）)",
    re.IGNORECASE,
)


def clean_text(text: str) -> str:
    """Collapse whitespace. A run with a line break between two CJK characters is a source
    line wrap and vanishes; a lone ideographic space (a headline separator) is kept."""
    text = text.replace("\u200b", "").replace("\ufeff", "")
    text = _WRAP_BETWEEN_CJK.sub("", text.strip())
    return _WS.sub(lambda m: "\u3000" if m.group() == "\u3000" else " ", text).strip()


_BR = "\x00"  # a <br> inside a block: a line break in the text (source newlines are just spaces)


def _itertext(el: etree._Element) -> list[str]:
    out: list[str] = []
    if el.text:
        out.append(el.text)
    for child in el:
        if not isinstance(child.tag, str):  # comments, processing instructions
            if child.tail:
                out.append(child.tail)
            continue
        if child.tag == "br":
            out.append(_BR)
        elif child.tag not in ("script", "style", "noscript", "rt", "rp"):
            out.extend(_itertext(child))
        if child.tail:
            out.append(child.tail)
    return out


# ----------------------------------------------------------------------------- metadata
def _json_ld(doc: etree._Element) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for script in doc.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "")
        except (json.JSONDecodeError, TypeError):
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            obj = stack.pop(0)
            if isinstance(obj, dict):
                if "@graph" in obj:
                    stack.extend(obj["@graph"] if isinstance(obj["@graph"], list) else [obj["@graph"]])
                items.append(obj)
            elif isinstance(obj, list):
                stack.extend(obj)
    articles = [i for i in items if _ld_type(i) & {"newsarticle", "article", "reportagenewsarticle",
                                                     "blogposting", "analysisnewsarticle", "opinionnewsarticle"}]
    return articles or [i for i in items if "headline" in i]


def _ld_type(obj: dict[str, Any]) -> set[str]:
    t = obj.get("@type", "")
    return {x.lower() for x in (t if isinstance(t, list) else [t]) if isinstance(x, str)}


def _ld_author(obj: dict[str, Any]) -> str | None:
    a = obj.get("author")
    names = []
    for one in a if isinstance(a, list) else [a]:
        if isinstance(one, dict) and _ld_type(one) & {"organization", "newsmediaorganization"}:
            continue  # the outlet, not a writer
        if isinstance(one, dict) and one.get("name"):
            names.append(str(one["name"]))
        elif isinstance(one, str) and one.strip():
            names.append(one)
    return "、".join(clean_text(n) for n in names) or None


def _meta_index(doc: etree._Element) -> dict[str, str]:
    """property / name / itemprop -> first non-empty content, built once per page."""
    index: dict[str, str] = {}
    for el in doc.iter("meta"):
        content = (el.get("content") or "").strip()
        if not content:
            continue
        for attr in ("property", "name", "itemprop"):
            key = el.get(attr)
            if key:
                index.setdefault(key, content)
                index.setdefault(key.lower(), content)
    return index


def _meta(doc: etree._Element | dict[str, str], *keys: str) -> str | None:
    index = doc if isinstance(doc, dict) else _meta_index(doc)
    for key in keys:
        if key in index:
            return index[key]
        if key.lower() in index:
            return index[key.lower()]
    return None


def _strip_site_suffix(title: str, site_names: list[str]) -> str:
    t = clean_text(title)
    for name in filter(None, site_names):
        for sep in (" | ", "｜", " - ", " – ", " — ", "|", "－", "_", " : ", "：", " ", "-"):
            if t.endswith(sep + name):
                return t[: -len(sep + name)].strip()
            if t.startswith(name + sep):
                return t[len(name + sep):].strip()
    m = re.match(r"^(.{6,}?)\s*(?:\||｜|_| - | – | — )\s*[^|｜_]{2,30}$", t)
    return m.group(1).strip() if m else t


def _select(html: str, css: str) -> list[str]:
    """Texts of a per-source CSS selector: `::text` / `::attr()` values, or one text per element."""
    sel = Selector(text=html)
    if "::" in css:
        return [clean_text(x) for x in sel.css(css).getall() if clean_text(x)]
    out = []
    for node in sel.css(css):
        lines = [clean_text(x) for x in "".join(_itertext(node.root)).split(_BR)]
        text = "\n".join(x for x in lines if x)
        if text:
            out.append(text)
    return out


# ----------------------------------------------------------------------------- body
def _is_boilerplate(el: etree._Element) -> bool:
    if el.tag in _DROP_TAGS:
        return True
    attrs = " ".join(filter(None, (el.get("class"), el.get("id"), el.get("role"))))
    if el.get("hidden") is not None or "display:none" in (el.get("style") or "").replace(" ", ""):
        return True
    if not attrs or el.tag in ("article", "main", "body", "html"):
        return False
    if _BOILER.search(attrs):
        return True
    if _WEAK_BOILER.search(attrs):
        prose = sum(_cjk_len("".join(p.itertext())) for p in el.iter("p"))
        return prose < 300
    return False


def _prune(doc: etree._Element) -> None:
    for el in list(doc.iter()):
        if not isinstance(el.tag, str):
            if el.getparent() is not None:
                el.drop_tree() if hasattr(el, "drop_tree") else el.getparent().remove(el)
            continue
        if el.getparent() is not None and _is_boilerplate(el) and not _protected(el):
            el.drop_tree()


def _protected(el: etree._Element) -> bool:
    """Never prune the article body itself even if its class says 'article-info' or so."""
    attrs = " ".join(filter(None, (el.get("class"), el.get("id"), el.get("itemprop"))))
    return bool(re.search(r"articlebody|article-body|article_body|entry-content|post-content|main-text", attrs,
                          re.IGNORECASE))


def _cjk_len(s: str) -> int:
    return len(re.sub(r"\s", "", s))


def _paragraphs(container: etree._Element) -> list[str]:
    paras: list[str] = []
    for el in container.iter(*_BLOCKS):
        # skip blocks nested in another block we already took (li > p, blockquote > p)
        anc = el.getparent()
        nested = False
        while anc is not None and anc is not container:
            if anc.tag in _BLOCKS:
                nested = True
                break
            anc = anc.getparent()
        if nested:
            continue
        link_text = sum(_cjk_len("".join(a.itertext())) for a in el.iter("a"))
        lines = [clean_text(x) for x in "".join(_itertext(el)).split(_BR)]
        text = "\n".join(x for x in lines if x)
        if not text:
            continue
        if link_text > 0.5 * _cjk_len(text):
            continue  # a list of links, not prose
        if _BOILER_TEXT.match(text) and _cjk_len(text) < 40:
            continue
        paras.append(text)
    return paras


def _densest_block(doc: etree._Element) -> list[str]:
    """Paragraphs of the element whose direct block children carry the most text."""
    preferred = doc.xpath(
        '//*[@itemprop="articleBody"] | //*[contains(concat(" ", normalize-space(@class), " "), " article-body ")]'
        ' | //*[contains(@class, "article_body") or contains(@class, "articleBody") or contains(@class, "entry-content")'
        ' or contains(@class, "post-content") or contains(@id, "article-body") or contains(@id, "articleBody")]')
    for el in preferred:
        paras = _paragraphs(el)
        if sum(map(_cjk_len, paras)) >= 50:
            return paras
    best: tuple[float, etree._Element] | None = None
    for el in doc.iter():
        if not isinstance(el.tag, str) or el.tag in _BLOCKS:
            continue
        score = 0.0
        for child in el:
            if isinstance(child.tag, str) and child.tag in ("p", "blockquote", "pre"):
                text = "".join(child.itertext())
                links = sum(len("".join(a.itertext())) for a in child.iter("a"))
                score += max(0, _cjk_len(text) - 2 * links)
        if score and (best is None or score > best[0]):
            best = (score, el)
    return _paragraphs(best[1]) if best else []


def _trafilatura_body(html: str, url: str) -> str:
    try:
        import trafilatura

        return trafilatura.extract(html, url=url, include_comments=False, include_tables=False,
                                   favor_precision=True, deduplicate=False) or ""
    except Exception:  # noqa: BLE001 - a crash in the fallback extractor must not lose the page
        return ""


def _choose_body(own: list[str], html: str, url: str, title: str) -> tuple[str, str]:
    """Our densest-block paragraphs when they look like a whole article; trafilatura when ours is
    short (< 300 characters) and trafilatura finds clearly more (pages without <p> markup)."""
    own = [p for p in own if p != title]
    own_text = "\n".join(own)
    if _cjk_len(own_text) >= 300:
        return own_text, "density"
    traf = _trafilatura_body(html, url)
    traf_lines = [clean_text(x) for x in traf.split("\n")]
    traf_text = "\n".join(x for x in traf_lines if x and x != title)
    if _cjk_len(traf_text) > 1.5 * _cjk_len(own_text) + 20 or (_cjk_len(own_text) < 80 < _cjk_len(traf_text)):
        return traf_text, "trafilatura"
    return own_text, "density"


# ----------------------------------------------------------------------------- dates
_DATE_META = ("article:published_time", "og:article:published_time", "datePublished", "pubdate", "publishdate",
              "publish-date", "publish_date", "PublishDate", "date", "DC.date.issued", "dc.date", "sailthru.date",
              "parsely-pub-date", "cXenseParse:recs:publishtime", "article:published", "og:published_time",
              "publication_date", "OriginalPublicationDate")
_DATE_CLASS = re.compile(r"date|time|pubdate|publish|posted|byline|meta|info|source|日期|时间", re.IGNORECASE)


def _visible_date(doc: etree._Element) -> str | None:
    for el in doc.iter():
        if not isinstance(el.tag, str) or el.tag in ("script", "style"):
            continue
        attrs = " ".join(filter(None, (el.get("class"), el.get("id"))))
        if attrs and _DATE_CLASS.search(attrs):
            found = find_date_in_text(" ".join(el.itertext()))
            if found:
                return found
    return None


# ----------------------------------------------------------------------------- main
def extract_article(html: str, url: str, options: ExtractOptions | None = None) -> Article:
    """Extract every field from one decoded HTML page. Never raises on odd markup."""
    opts = options or ExtractOptions()
    sel = opts.selectors or {}
    try:
        doc = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return Article(url=url, canonical_url=choose_canonical(url, []))
    cand: dict[str, dict[str, Any]] = {"title": {}, "published": {}, "author": {}}
    ld = _json_ld(doc)
    ld0 = ld[0] if ld else {}
    meta = _meta_index(doc)
    site_name = _meta(meta, "og:site_name") or opts.site_name
    html_lang = (doc.get("lang") or doc.get("xml:lang") or "").strip()

    # title
    if sel.get("title"):
        cand["title"]["selector"] = next(iter(_select(html, sel["title"])), None)
    cand["title"]["jsonld"] = clean_text(str(ld0.get("headline") or "")) or None
    og = _meta(meta, "og:title", "twitter:title")
    cand["title"]["og"] = _strip_site_suffix(og, [site_name or ""]) if og else None
    h1s = [clean_text("".join(_itertext(h))) for h in doc.xpath("//h1")]
    cand["title"]["h1s"] = [h for h in h1s if h and h != site_name]
    title_tag = doc.findtext(".//title")
    cand["title"]["title_tag"] = _strip_site_suffix(title_tag, [site_name or ""]) if title_tag else None
    title = _choose_title(cand["title"])

    # canonical
    canonical = choose_canonical(url, [*doc.xpath('//link[@rel="canonical"]/@href'), _meta(meta, "og:url")])

    # date (before pruning: bylines and <time> are boilerplate for the body)
    tz = ZoneInfo(opts.timezone) if opts.timezone else default_timezone(url, opts.language or html_lang or None)
    if sel.get("published"):
        cand["published"]["selector"] = next(iter(_select(html, sel["published"])), None)
    cand["published"]["jsonld"] = ld0.get("datePublished") or ld0.get("dateCreated")
    cand["published"]["meta"] = _meta(meta, *_DATE_META)
    times = doc.xpath('//*[@itemprop="datePublished"]/@datetime | //*[@itemprop="datePublished"]/@content'
                      ' | //time[@pubdate]/@datetime | //article//time/@datetime | //time/@datetime')
    cand["published"]["time"] = times[0] if times else None
    cand["published"]["visible"] = _visible_date(doc)
    cand["published"]["hint"] = opts.date_hint
    published = None
    for key in ("selector", "jsonld", "meta", "time", "visible", "hint"):
        dt = parse_date(cand["published"].get(key), tz, opts.now)
        if dt is not None:
            published = dt
            break

    # author
    if sel.get("author"):
        cand["author"]["selector"] = _clean_author(next(iter(_select(html, sel["author"])), ""))
    cand["author"]["jsonld"] = _ld_author(ld0)
    cand["author"]["meta"] = _meta(meta, "author", "article:author", "byl", "dc.creator", "DC.creator")
    if cand["author"]["meta"] and cand["author"]["meta"].startswith("http"):
        cand["author"]["meta"] = None
    cand["author"]["byline"] = _byline(doc)
    # An organisation credited as author (the outlet itself) is no author.
    publisher = ld0.get("publisher") if isinstance(ld0.get("publisher"), dict) else {}
    not_people = {n for n in (site_name, opts.site_name, publisher.get("name")) if n}
    for key in ("jsonld", "meta", "byline"):
        value = cand["author"].get(key)
        if value and (value in not_people or _DESK_CREDIT.search(value)):
            cand["author"][key] = None
    author = next((v for k in ("selector", "jsonld", "meta", "byline") if (v := cand["author"].get(k))), None)

    # body
    method = "selector"
    if sel.get("body"):
        body = "\n".join(p for p in _select(html, sel["body"]) if p)
    else:
        _prune(doc)
        body, method = _choose_body(_densest_block(doc), html, url, title)
    body = _strip_trailing_boilerplate(body)

    lang = detect_language(title + "\n" + body, html_lang or opts.language)
    art = Article(url=url, canonical_url=canonical, title=title, body=body, author=author,
                  published_at=to_utc_iso(published), lang=lang,
                  description=_meta(meta, "description", "og:description") or "", site_name=site_name)
    art.candidates = {**cand, "body": {"method": method}}
    return art


def _choose_title(c: dict[str, Any]) -> str:
    """Selector; else the visible <h1> that metadata confirms (a logo <h1> is not confirmed);
    else JSON-LD headline, og:title, <title> without site suffix; else the longest <h1>."""
    if c.get("selector"):
        return c["selector"] or ""
    h1s: list[str] = c.get("h1s") or []
    meta = [v for v in (c.get("jsonld"), c.get("og"), c.get("title_tag")) if v]
    for h1 in h1s:
        if any(h1 == m or (len(h1) >= 4 and (h1 in m or m in h1)) for m in meta):
            c["h1"] = h1
            return h1
    for v in meta:
        return v
    return max(h1s, key=len) if h1s else ""


_AUTHOR_PREFIX = re.compile(r"^(?:文\s*[/／：:＝=]|写真・文\s*[/／：:＝=]|記者[：:]?|记者[：:]?|撰文[：:]?|作者[：:]?|By\s+|執筆[：:]?|編集[：:]?|責任編輯[：:]?|责任编辑[：:]?)\s*",
                            re.IGNORECASE)


# "compiled reports" credits name a desk, not a writer (an explicit 編集部 / 编辑部 is kept).
_DESK_CREDIT = re.compile(r"綜合報導|综合报道|綜合外電|综合外电|綜合報道|综合编译|綜合編譯")
_BYLINE_CLASS = re.compile(r"(?:^|[\s_-])(?:author|authors|byline|by|writer|reporter|kisha|zuozhe|credit|"
                           r"name-author|article-author)(?:$|[\s_-])", re.IGNORECASE)
_EDITOR = re.compile(r"^\W*(?:责任编辑|責任編輯|编辑|編輯|责编|責編|校对|審校|审校|編集担当)")


def _byline(doc: etree._Element) -> str | None:
    """Text of the first byline element (rel/itemprop author, or an author-ish class) that
    names a writer; editors' credits (责任编辑) are not authors."""
    nodes = doc.xpath('//*[@rel="author"] | //*[@itemprop="author"]')
    nodes += [el for el in doc.iter() if isinstance(el.tag, str) and el.tag not in ("html", "body", "meta")
              and _BYLINE_CLASS.search(" ".join(filter(None, (el.get("class"), el.get("id")))))]
    for el in nodes:
        if el.tag == "meta":
            continue
        raw = " ".join(clean_text(t) for t in el.itertext() if clean_text(t))
        if not raw or _EDITOR.match(raw):
            continue
        name = _clean_author(raw)
        if name:
            return name
    return None


def _clean_author(text: str) -> str | None:
    t = clean_text(text)
    t = re.sub(r"^[（(【\[〔]\s*|\s*[）)】\]〕]$", "", t)
    t = _AUTHOR_PREFIX.sub("", t).strip()
    t = re.split(r"\s*[：:|｜]\s*", t)[0].strip()  # "西村 拓也 ：ジャーナリスト" -> the name
    return t or None if len(t) <= 40 else None


def _strip_trailing_boilerplate(body: str) -> str:
    lines = body.split("\n")
    while lines and (_BOILER_TEXT.match(lines[-1]) and _cjk_len(lines[-1]) < 40):
        lines.pop()
    return "\n".join(lines)

