"""Build the Japanese half of the offline web and its extraction gold.

Six fictional Japanese outlets (``*.test`` hosts) are rendered from the article data in
``corpus/build/articles_ja/<outlet>.toml`` into ``corpus/web/<host>/`` as bytes in each
outlet's real encoding, plus ``corpus/gold/extraction/<host>.jsonl``.

Run (re-runnable, rewrites only our six hosts):

    python corpus/build/build_web_ja.py           # build + check
    python corpus/build/build_web_ja.py --check   # check the files on disk only

Gold conventions:
- ``url`` is the canonical URL (no tracking params, not the AMP variant); feeds may link variants.
- ``body`` is the text of the ``<p>`` elements of the article body joined by ``\\n``. In-body
  subheadings are rendered as ``<p class=...><strong>`` so they are paragraphs too.
- the robots-forbidden ``/members/`` article has no gold line: it must never be crawled.
"""

from __future__ import annotations

import argparse
import fnmatch
import html
import json
import re
import shutil
import sys
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent
DATA = HERE / "articles_ja"
WEB = CORPUS / "web"
GOLD = CORPUS / "gold" / "extraction"
SOURCES = CORPUS / "sources" / "offline"
JST = ZoneInfo("Asia/Tokyo")
WIRE = "東亜通信"

# outlet key -> host, name, file codec (how bytes are written), decoders that must round-trip.
# Shift_JIS sites are really CP932 (as in the wild): text must survive both decoders unchanged.
OUTLETS: dict[str, dict] = {
    "nichinichi": {"host": "www.nichinichi-shimbun.test", "name": "日日新聞",
                   "codec": "cp932", "decoders": ["cp932", "shift_jis"]},
    "totohoso": {"host": "news.toto-hoso.test", "name": "東都放送ニュース",
                 "codec": "utf-8", "decoders": ["utf-8"]},
    "tohobiz": {"host": "www.toho-business.test", "name": "週刊東邦ビジネス オンライン",
                "codec": "euc_jp", "decoders": ["euc_jp"]},
    "zubari": {"host": "www.zubari-web.test", "name": "ズバリWEB",
               "codec": "utf-8", "decoders": ["utf-8"]},
    "kasei": {"host": "jp.kasei-news.test", "name": "華声ジャパン",
              "codec": "cp932", "decoders": ["cp932", "shift_jis"]},
    "naniwa": {"host": "www.naniwa-nippo.test", "name": "浪速日報",
               "codec": "utf-8", "decoders": ["utf-8"]},
}


@dataclass
class Article:
    outlet: str
    id: str
    date: datetime
    title: str
    author: str | None
    story: str
    paras: list[str]
    section: str = "社会"
    copy_of: str | None = None
    members: bool = False
    extra: dict = field(default_factory=dict)
    url: str = ""  # canonical absolute URL
    dup_of: str | None = None

    @property
    def relevant(self) -> bool:
        return self.story != "none"

    @property
    def body_paras(self) -> list[str]:
        return [p.removeprefix("## ") for p in self.paras]


# ---------------------------------------------------------------- loading


def _paras(text: str) -> list[str]:
    return [ln.strip() for ln in text.strip().splitlines() if ln.strip()]


def load() -> dict[str, list[Article]]:
    out: dict[str, list[Article]] = {}
    for key in OUTLETS:
        raw = tomllib.loads((DATA / f"{key}.toml").read_text("utf-8"))
        arts = []
        for a in raw["article"]:
            arts.append(Article(
                outlet=key, id=str(a["id"]),
                date=datetime.fromisoformat(a["date"]).replace(tzinfo=JST),
                title=a["title"], author=a.get("author"), story=a["story"],
                paras=_paras(a.get("body", "")), section=a.get("section", "社会"),
                copy_of=a.get("copy_of"), members=a.get("members", False),
                extra={k: a[k] for k in ("drop", "add", "credit", "lead") if k in a},
            ))
        out[key] = sorted(arts, key=lambda x: x.date)
    index = {f"{k}:{a.id}": a for k, arts in out.items() for a in arts}
    for arts in out.values():
        for a in arts:
            a.url = URLS[a.outlet](a)
    # Syndicated copies: the wire text of the original with small edits.
    for arts in out.values():
        for a in arts:
            if not a.copy_of:
                continue
            orig = index[a.copy_of]
            assert orig.date < a.date, (a.id, "copy must be later than the original")
            paras = [p for i, p in enumerate(orig.paras) if i not in a.extra.get("drop", [])]
            for pos, text in a.extra.get("add", []):
                paras.insert(pos, text)
            if "lead" in a.extra:
                paras[0] = a.extra["lead"]
            if a.extra.get("credit"):
                paras.append(a.extra["credit"])
            a.paras, a.story = paras, orig.story
            a.dup_of = orig.url
    return out


# ---------------------------------------------------------------- URLs

def _h(key: str) -> str:
    return "http://" + OUTLETS[key]["host"]


URLS = {
    "nichinichi": lambda a: f"{_h('nichinichi')}/articles/{a.date:%Y%m%d}/{a.id}.html",
    "totohoso": lambda a: (f"{_h('totohoso')}/members/articles/{a.id}.html" if a.members
                           else f"{_h('totohoso')}/news/{a.date:%Y%m%d}/{a.id}.html"),
    "tohobiz": lambda a: f"{_h('tohobiz')}/articles/-/{a.id}/",
    "zubari": lambda a: f"{_h('zubari')}/articles/{a.id}/",
    "kasei": lambda a: f"{_h('kasei')}/news/{a.date:%Y-%m}/{a.id}.html",
    "naniwa": lambda a: f"{_h('naniwa')}/news/kansai/{a.date:%Y%m%d}-{a.id}.html",
}


def path_of(url: str) -> str:
    p = urlsplit(url).path
    return p + "index.html" if p.endswith("/") else p


# ---------------------------------------------------------------- writing

WRITTEN: dict[str, list[str]] = {}


def write(key: str, path: str, text: str, codec: str | None = None) -> None:
    """Write text as bytes in the outlet's codec; refuse characters that would not round-trip."""
    o = OUTLETS[key]
    codec = codec or o["codec"]
    data = text.encode(codec)
    decoders = o["decoders"] if codec == o["codec"] else [codec]
    for dec in decoders:
        if data.decode(dec) != text:
            bad = sorted({c for c in text if c.encode(codec).decode(dec, "replace") != c})
            raise ValueError(f"{key}{path}: characters not stable in {dec}: {bad}")
    target = WEB / o["host"] / path.lstrip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    WRITTEN.setdefault(key, []).append(path)


def e(s: str) -> str:
    return html.escape(s, quote=True)


def jp_date(d: datetime, style: str = "kanji") -> str:
    if style == "kanji":
        return f"{d.year}年{d.month}月{d.day}日 {d.hour}時{d.minute:02d}分"
    if style == "slash":
        return f"{d:%Y/%m/%d} {d.hour}:{d.minute:02d}"
    if style == "zero":
        return f"{d:%Y年%m月%d日 %H:%M}"
    return f"{d.year}年{d.month}月{d.day}日"


def ptags(a: Article, sub_cls: str = "subhead") -> str:
    out = []
    for p in a.paras:
        if p.startswith("## "):
            out.append(f'<p class="{sub_cls}"><strong>{e(p[3:])}</strong></p>')
        else:
            out.append(f"<p>{e(p)}</p>")
    return "\n".join(out)


def neighbours(a: Article, arts: list[Article], n: int = 4) -> list[Article]:
    """Related articles: same relevance first, nearest in time (deterministic)."""
    pool = [x for x in arts if x is not a and not x.members]
    pool.sort(key=lambda x: (x.relevant != a.relevant, abs((x.date - a.date).days), x.id))
    return pool[:n]


def ranking(arts: list[Article]) -> list[Article]:
    pool = [x for x in arts if not x.members]
    return sorted(pool, key=lambda x: (len(x.title) * 7 + len(x.id) * 3) % 11)[:5]


def li_links(arts: list[Article], url=lambda x: x.url) -> str:
    return "\n".join(f'<li><a href="{e(url(x))}">{e(x.title)}</a></li>' for x in arts)


# ---------------------------------------------------------------- outlet 1: national daily (CP932)

def build_nichinichi(arts: list[Article]) -> None:
    k, host, name = "nichinichi", _h("nichinichi"), OUTLETS["nichinichi"]["name"]
    for a in arts:
        iso = a.date.isoformat()
        author_ld = ({"@type": "Person", "name": a.author} if a.author
                     else {"@type": "Organization", "name": name})
        ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": a.title,
              "datePublished": iso, "dateModified": iso, "author": author_ld,
              "publisher": {"@type": "Organization", "name": name},
              "mainEntityOfPage": a.url, "inLanguage": "ja"}
        byline = (f'<p class="byline">【<span class="reporter">{e(a.author)}</span>】</p>'
                  if a.author else "")
        fig = ""
        if a.relevant and int(re.sub(r"\D", "", a.id) or 0) % 3 == 0:
            fig = ('<figure class="photo"><img src="/img/dummy.jpg" alt="">'
                   f'<figcaption>{e(a.title[:18])}（写真は本文と関係ありません）</figcaption></figure>')
        page = f"""<!DOCTYPE html>
<html lang="ja">
<head>
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<title>{e(a.title)}：{name}</title>
<meta name="description" content="{e(a.body_paras[0][:80])}">
<meta property="og:title" content="{e(a.title)}">
<meta property="og:type" content="article">
<meta property="og:url" content="{a.url}">
<meta property="og:site_name" content="{name}">
<link rel="canonical" href="{a.url}">
<style>body{{font-family:"MS PGothic",sans-serif}} .ad-rect{{width:300px;height:250px}}</style>
<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>
<script>var nn_dl = window.nn_dl || []; nn_dl.push({{section: "{e(a.section)}", id: "{a.id}"}});</script>
</head>
<body>
<div id="nn-header"><a href="{host}/"><img src="/img/logo.gif" alt="{name}"></a>
<ul class="gnav"><li><a href="{host}/list/national/">社会</a></li><li><a href="{host}/list/politics/">政治</a></li>
<li><a href="{host}/list/economy/">経済</a></li><li><a href="{host}/list/sports/">スポーツ</a></li></ul></div>
<div class="topicpath"><a href="{host}/">トップ</a> &gt; <a href="{host}/list/national/">{e(a.section)}</a> &gt; 記事</div>
<div id="nn-main">
<div class="ad-rect" id="ad-top"><script>nnAd("top");</script>広告</div>
<div class="NewsArticle">
<h1 class="NewsTitle">{e(a.title)}</h1>
<p class="NewsDate"><time datetime="{iso}">{jp_date(a.date)}</time></p>
<div class="sns-share"><a href="#" class="tw">ポスト</a><a href="#" class="fb">シェア</a><a href="#" class="line">LINEで送る</a></div>
{fig}
<div class="NewsBody" id="articleBody">
{ptags(a)}
</div>
{byline}
</div>
<div class="ad-rect" id="ad-mid">スポンサーリンク</div>
<div class="related"><h2>関連記事</h2><ul>
{li_links(neighbours(a, arts))}
</ul></div>
</div>
<div id="nn-side"><h2>人気記事ランキング</h2><ol>
{li_links(ranking(arts))}
</ol></div>
<div id="nn-footer"><p>Copyright {name}社 All rights reserved. 記事・写真の無断転載を禁じます。</p></div>
</body>
</html>
"""
        write(k, path_of(a.url), page)
    # RSS 2.0 in Shift_JIS, links carry tracking params (canonical in the page has none).
    items = []
    for a in sorted(arts, key=lambda x: x.date, reverse=True)[:12]:
        items.append(f"""<item>
<title>{e(a.title)}</title>
<link>{a.url}?utm_source=rss&amp;utm_medium=feed</link>
<guid isPermaLink="false">nn-{a.id}</guid>
<description>{e(a.body_paras[0][:60])}…</description>
<pubDate>{format_datetime(a.date)}</pubDate>
<category>{e(a.section)}</category>
</item>""")
    write(k, "/rss/news.xml", f"""<?xml version="1.0" encoding="Shift_JIS"?>
<rss version="2.0">
<channel>
<title>{name} ニュース</title>
<link>{host}/</link>
<description>{name}の最新ニュース</description>
<language>ja</language>
{chr(10).join(items)}
</channel>
</rss>
""")
    # News sitemap: index -> monthly urlsets (UTF-8, see _site.toml override).
    months: dict[str, list[Article]] = {}
    for a in arts:
        months.setdefault(f"{a.date:%Y-%m}", []).append(a)
    idx = []
    for m, ms in sorted(months.items()):
        loc = f"{host}/sitemaps/news-{m}.xml"
        idx.append(f"<sitemap><loc>{loc}</loc><lastmod>{max(x.date for x in ms).isoformat()}</lastmod></sitemap>")
        urls = "\n".join(f"""<url><loc>{a.url}</loc>
<news:news><news:publication><news:name>{name}</news:name><news:language>ja</news:language></news:publication>
<news:publication_date>{a.date.isoformat()}</news:publication_date><news:title>{e(a.title)}</news:title></news:news></url>"""
                         for a in ms)
        write(k, f"/sitemaps/news-{m}.xml", f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
{urls}
</urlset>
""", codec="utf-8")
    write(k, "/sitemap_index.xml", f"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
{chr(10).join(idx)}
</sitemapindex>
""", codec="utf-8")
    write(k, "/robots.txt", f"User-agent: *\nDisallow: /api/\nDisallow: /search\n\nSitemap: {host}/sitemap_index.xml\n")
    write(k, "/index.html", simple_home(k, arts))
    write(k, "/_site.toml", """# Fictional national daily (offline fixture). Pages are CP932 bytes declared as Shift_JIS
# in the HTTP header only (no <meta charset>), like many older Japanese news CMSs.
charset = "shift_jis"
header_charset = true

[[path]]   # sitemaps are UTF-8 XML
match = "/sitemap*"
charset = "utf-8"
""", codec="utf-8")


def simple_home(k: str, arts: list[Article], meta: str = "") -> str:
    name, host = OUTLETS[k]["name"], _h(k)
    links = li_links([a for a in sorted(arts, key=lambda x: x.date, reverse=True) if not a.members][:15])
    return f"""<!DOCTYPE html>
<html lang="ja"><head>{meta}<title>{name} トップ</title>
<link rel="canonical" href="{host}/"></head>
<body><header><h1>{name}</h1></header>
<main><h2>最新ニュース</h2><ul class="toplist">
{links}
</ul></main>
<footer><p>&copy; {name}</p></footer></body></html>
"""


# ---------------------------------------------------------------- outlet 2: broadcaster (UTF-8, Atom)

def build_totohoso(arts: list[Article]) -> None:
    k, host, name = "totohoso", _h("totohoso"), OUTLETS["totohoso"]["name"]
    public = [a for a in arts if not a.members]
    for a in arts:
        iso = a.date.isoformat()
        ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": a.title,
              "datePublished": iso, "publisher": {"@type": "Organization", "name": name}}
        video = ""
        if a.relevant and len(a.id) % 2 == 0:
            video = (f'<div class="video-player" data-vid="v{a.id}"><p class="video-caption">'
                     '【動画】ニュース映像（2分14秒）</p></div>')
        paywall = ('<div class="paywall">この記事は会員限定です。続きは<a href="/login">ログイン</a>してお読みください。</div>'
                   if a.members else "")
        page = f"""<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>{e(a.title)} | {name}</title>
<meta property="og:title" content="{e(a.title)}">
<meta property="og:url" content="{a.url}">
<meta property="article:published_time" content="{iso}">
<link rel="canonical" href="{a.url}">
<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>
<style>.tn-article__body p{{line-height:1.9}} .tn-ad{{min-height:90px}}</style>
</head>
<body class="tn">
<header class="tn-header"><a class="tn-logo" href="{host}/">{name}</a>
<nav class="tn-nav"><a href="{host}/news/">新着</a><a href="{host}/list/society/">社会</a><a href="{host}/list/politics/">政治</a><a href="{host}/list/weather/">気象</a></nav></header>
<ol class="tn-breadcrumb"><li><a href="{host}/">ホーム</a></li><li><a href="{host}/news/">ニュース</a></li><li>{e(a.section)}</li></ol>
<main class="tn-main">
<article class="tn-article">
<header class="tn-article__head"><span class="tn-article__cat">{e(a.section)}</span>
<h1 class="tn-article__title">{e(a.title)}</h1>
<time class="tn-article__time" datetime="{iso}">{a.date.year}年{a.date.month}月{a.date.day}日 {a.date.hour}時{a.date.minute:02d}分</time></header>
{video}
<section class="tn-article__body">
{ptags(a)}
</section>
{paywall}
<ul class="tn-share"><li><button data-share="x">Xでポスト</button></li><li><button data-share="line">LINE</button></li><li><button data-share="copy">URLをコピー</button></li></ul>
</article>
<aside class="tn-ad" data-slot="article-bottom"><script>tnAds.push("article-bottom")</script></aside>
<section class="tn-related"><h2>あわせて読みたい</h2><ul>
{li_links(neighbours(a, public))}
</ul></section>
</main>
<aside class="tn-side"><h2>アクセスランキング</h2><ol>{li_links(ranking(public))}</ol></aside>
<footer class="tn-footer"><p>&copy; Toto Hoso Broadcasting System, Inc.</p></footer>
</body>
</html>
"""
        write(k, path_of(a.url), page)
    # Listing with pagination; page 1 also links the members-only article and a deleted article.
    newest = sorted(public, key=lambda x: x.date, reverse=True)
    members = [a for a in arts if a.members]
    per = 6
    pages = [newest[i:i + per] for i in range(0, len(newest), per)]
    for n, chunk in enumerate(pages, 1):
        url = f"{host}/news/" if n == 1 else f"{host}/news/page/{n}/"
        extra = ""
        if n == 1:
            extra = "\n".join(
                f'<li class="tn-list__item tn-list__item--members"><a href="{m.url}">【会員限定】{e(m.title)}</a></li>'
                for m in members)
        if n == 2:
            extra = (f'<li class="tn-list__item"><a href="{host}/news/20240115/t24011501.html">'
                     '【速報】首都高で多重事故 けが人の情報</a></li>')
        nav = []
        if n > 1:
            prev = f"{host}/news/" if n == 2 else f"{host}/news/page/{n-1}/"
            nav.append(f'<a rel="prev" href="{prev}">前へ</a>')
        if n < len(pages):
            nav.append(f'<a rel="next" href="{host}/news/page/{n+1}/">次へ</a>')
        items = "\n".join(
            f'<li class="tn-list__item"><a href="{a.url}">{e(a.title)}</a>'
            f'<time datetime="{a.date.isoformat()}">{a.date.month}月{a.date.day}日</time></li>' for a in chunk)
        write(k, path_of(url), f"""<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><title>新着ニュース（{n}ページ目） | {name}</title>
<link rel="canonical" href="{url}"></head>
<body><header class="tn-header"><a href="{host}/">{name}</a></header>
<main><h1>新着ニュース</h1>
<ul class="tn-list">
{extra}
{items}
</ul>
<nav class="tn-pager">{" ".join(nav)}</nav></main>
<footer class="tn-footer">&copy; Toto Hoso</footer></body></html>
""")
    entries = []
    for a in newest[:12]:
        entries.append(f"""<entry>
<title>{e(a.title)}</title>
<link rel="alternate" type="text/html" href="{a.url}"/>
<id>tag:toto-hoso.test,{a.date:%Y-%m-%d}:{a.id}</id>
<published>{a.date.isoformat()}</published>
<updated>{a.date.isoformat()}</updated>
<summary>{e(a.body_paras[0][:70])}</summary>
</entry>""")
    write(k, "/feed/atom.xml", f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ja">
<title>{name} 新着</title>
<link rel="self" href="{host}/feed/atom.xml"/>
<link rel="alternate" href="{host}/"/>
<id>tag:toto-hoso.test,2022:feed</id>
<updated>{newest[0].date.isoformat()}</updated>
<author><name>{name}</name></author>
{chr(10).join(entries)}
</feed>
""")
    write(k, "/robots.txt", "User-agent: *\nDisallow: /members/\nDisallow: /login\n")
    write(k, "/index.html", simple_home(k, public, '<meta charset="utf-8">'))
    write(k, "/_site.toml", """# Fictional broadcaster news site (offline fixture). UTF-8, declared in header and meta.
# /members/ is disallowed in robots.txt; the listing links one article there (must not be crawled).
charset = "utf-8"
header_charset = true
""")


# ---------------------------------------------------------------- outlet 3: business weekly (EUC-JP)

BIZ_REDIRECT_ID = "31207"  # reached via /articles/old/...  -> 301 -> no slash -> 301 -> final


def build_tohobiz(arts: list[Article]) -> None:
    k, host, name = "tohobiz", _h("tohobiz"), OUTLETS["tohobiz"]["name"]
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=EUC-JP">'
    for a in arts:
        iso = a.date.isoformat()
        paras = ptags(a, "article-midashi")
        # An in-body ad block between paragraphs (not part of the text).
        if len(a.paras) > 4:
            lines = paras.split("\n")
            lines.insert(3, '<div class="ad-inread"><span>PR</span><script>tbAd("inread")</script></div>')
            paras = "\n".join(lines)
        author = (f'<div class="author-box"><span class="author-name">{e(a.author)}</span>'
                  '<span class="author-role">：ジャーナリスト</span></div>') if a.author else ""
        rel = neighbours(a, arts)
        page = f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" lang="ja">
<head>
{meta}
<title>{e(a.title)} | {e(a.section)} | {name}</title>
<meta property="og:title" content="{e(a.title)}" />
<meta property="og:url" content="{a.url}" />
<meta property="article:published_time" content="{iso}" />
<link rel="canonical" href="{a.url}" />
<style type="text/css">.article-midashi{{font-weight:bold;font-size:1.2em}} #ad-side{{height:600px}}</style>
<script type="text/javascript">var tb_page = {{type: "article", id: "{a.id}"}};</script>
</head>
<body>
<div id="tb-wrap">
<div id="tb-header"><a href="{host}/"><img src="/common/logo.png" alt="{name}" /></a>
<ul id="tb-gnav"><li><a href="{host}/list/genre/society/">社会</a></li><li><a href="{host}/list/genre/market/">マーケット</a></li><li><a href="{host}/list/genre/tech/">テクノロジー</a></li></ul></div>
<div id="tb-pankuzu"><a href="{host}/">ホーム</a> ＞ <a href="{host}/list/genre/society/">{e(a.section)}</a> ＞ {e(a.title[:20])}…</div>
<div id="tb-content">
<div class="article-header">
<h1 class="article-title">{e(a.title)}</h1>
<div class="article-meta"><time datetime="{iso}">{jp_date(a.date, 'slash')}</time></div>
{author}
</div>
<div class="sns-btns"><a class="sns-x" href="#">X</a><a class="sns-fb" href="#">Facebook</a><a class="sns-hb" href="#">はてブ</a></div>
<div id="article-body-inner" class="article-body">
{paras}
</div>
<div class="article-footer-author">{("執筆：" + e(a.author)) if a.author else ""}</div>
<div class="related-articles"><p class="related-title">関連記事</p><ul>
{li_links(rel)}
</ul></div>
<div class="ad-rectangle"><script>tbAd("rect-bottom")</script><p>広告：資産運用セミナー 参加無料</p></div>
</div>
<div id="tb-side"><div id="ad-side">広告</div><h3>人気記事ランキング</h3><ol>{li_links(ranking(arts))}</ol></div>
<div id="tb-footer"><p>Copyright Toho Business Shimpo Inc. All Rights Reserved.</p></div>
</div>
</body>
</html>
"""
        write(k, path_of(a.url), page)
    newest = sorted(arts, key=lambda x: x.date, reverse=True)
    per = 5
    pages = [newest[i:i + per] for i in range(0, len(newest), per)]
    for n, chunk in enumerate(pages, 1):
        url = f"{host}/list/genre/society/" if n == 1 else f"{host}/list/genre/society/p/{n}/"

        def link(a: Article) -> str:
            # the old-style URL of one article is what the listing still links to
            if a.id == BIZ_REDIRECT_ID:
                return f"{host}/articles/old/{a.id}.html"
            return a.url
        items = "\n".join(
            f'<div class="list-item"><a class="list-title" href="{link(a)}">{e(a.title)}</a>'
            f'<span class="list-date">{a.date:%Y/%m/%d}</span></div>' for a in chunk)
        nav = f'<a class="next" rel="next" href="{host}/list/genre/society/p/{n+1}/">次のページ</a>' if n < len(pages) else ""
        write(k, path_of(url), f"""<!DOCTYPE html>
<html lang="ja"><head>{meta}<title>社会 記事一覧 {n}ページ | {name}</title></head>
<body><div id="tb-header"><a href="{host}/">{name}</a></div>
<div id="tb-content"><h1>社会の記事一覧</h1>
<div class="list">
{items}
</div>
<div class="pager"><span class="current">{n}</span> {nav}</div></div>
<div id="tb-footer">Copyright Toho Business Shimpo Inc.</div></body></html>
""")
    write(k, "/robots.txt", "User-agent: *\nDisallow: /mypage/\n")
    write(k, "/index.html", simple_home(k, arts, meta))
    write(k, "/_site.toml", f"""# Fictional business weekly (offline fixture). EUC-JP pages; the charset is only in
# <meta http-equiv="Content-Type">, the HTTP header has none.
charset = "euc-jp"
header_charset = false

# Redirect chain: the listing still links the old CMS URL.
[[path]]
match = "/articles/old/{BIZ_REDIRECT_ID}.html"
redirect = "/articles/-/{BIZ_REDIRECT_ID}"

[[path]]
match = "/articles/-/{BIZ_REDIRECT_ID}"
redirect = "/articles/-/{BIZ_REDIRECT_ID}/"
""", codec="utf-8")


# ---------------------------------------------------------------- outlet 4: tabloid (UTF-8, RSS 1.0)

COMMENTS_REL = [
    "結局、お金のある人だけが来られるってことでしょ。", "近所にも増えた。普通に礼儀正しい人たちだよ。",
    "制度の穴を放置してきた政府の責任だと思う。", "子どもの教育のために国を出る気持ちは分かる。",
    "数字の根拠が知りたい。記事が煽りすぎでは？", "日本が選ばれているうちが花かもしれない。",
    "治安が良くて安いから来るんだよ。円安のせい。", "ルールを守るなら誰が来てもいいと思う。",
    "タワマンの管理組合で揉めてるって話はよく聞く。", "こういう記事、毎回同じ結論だな。",
]
COMMENTS_OFF = ["行ってみたい！", "写真もっと見たかった。", "去年も同じこと言ってた気がする。",
                "これは朗報。", "地元民としては複雑。"]
ZUBARI_AMP = ("50114", "50126", "50203")  # feed links the /amp/ variant for these
ZUBARI_SLOW = "50167"


def build_zubari(arts: list[Article]) -> None:
    k, host, name = "zubari", _h("zubari"), OUTLETS["zubari"]["name"]
    for i, a in enumerate(arts):
        pool = COMMENTS_REL if a.relevant else COMMENTS_OFF
        cs = [pool[(i * 3 + j * 7) % len(pool)] for j in range(3 if a.relevant else 2)]
        comments = "\n".join(
            f'<li class="cmt"><div class="cmt-head"><span class="cmt-name">名無しさん{j+1}</span>'
            f'<span class="cmt-date">{a.date.month}月{a.date.day + (0 if a.date.day > 27 else 1)}日</span></div>'
            f'<p class="cmt-text">{e(c)}</p><span class="cmt-like">いいね {(i + j) * 13 % 97}</span></li>'
            for j, c in enumerate(cs))
        writer = f'<div class="zb-writer">文＝<span class="zb-writer-name">{e(a.author)}</span></div>' if a.author else ""
        body = ptags(a, "zb-midashi")
        page_tpl = """<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="UTF-8">
{head_extra}
<title>{title}｜{name}</title>
<meta property="og:title" content="{title}">
<meta property="og:url" content="{url}">
<meta property="og:image" content="{host}/ogp/{id}.jpg">
<link rel="canonical" href="{url}">
<style>.zb-body p{{margin:1em 0}} .zb-cmts{{background:#f6f6f6}}</style>
</head>
<body>
<div class="zb-top"><a href="{host}/" class="zb-logo">{name}</a><span class="zb-catch">ニュースの裏側、ズバリ書きます</span></div>
<div class="zb-menu"><a href="{host}/cat/society/">社会</a> <a href="{host}/cat/gourmet/">グルメ</a> <a href="{host}/cat/geinou/">芸能</a></div>
<div class="zb-pankuzu"><a href="{host}/">TOP</a> » <a href="{host}/cat/society/">{section}</a></div>
<div class="zb-entry">
<div class="zb-entry-head"><h1 class="zb-title">{title}</h1>
<div class="zb-date">{date}</div>{writer}</div>
<div class="zb-share"><span>シェアする</span><a href="#">X</a><a href="#">LINE</a><a href="#">はてブ</a></div>
<div class="zb-body">
{body}
</div>
<div class="zb-ad"><script>zbAd.render("after-body")</script><a href="#">【PR】話題のサプリ、初回980円</a></div>
</div>
<div class="zb-cmts"><h3>みんなのコメント（{ncm}件）</h3><ul>
{comments}
</ul></div>
<div class="zb-rel"><h3>こちらもオススメ</h3><ul>
{rel}
</ul></div>
<div class="zb-rank"><h3>人気記事ランキング</h3><ol>{rank}</ol></div>
<div class="zb-foot">&copy; ズバリWEB編集部</div>
</body>
</html>
"""
        fields = dict(title=e(a.title), name=name, url=a.url, host=host, id=a.id, section=e(a.section),
                      date=jp_date(a.date), writer=writer, body=body, ncm=len(cs), comments=comments,
                      rel=li_links(neighbours(a, arts)), rank=li_links(ranking(arts)))
        write(k, path_of(a.url), page_tpl.format(head_extra=f'<link rel="amphtml" href="{host}/amp/articles/{a.id}/">', **fields))
        if a.id in ZUBARI_AMP:
            write(k, f"/amp/articles/{a.id}/index.html",
                  page_tpl.format(head_extra='<script async src="https://cdn.ampproject.org/v0.js"></script>', **fields)
                  .replace("<html lang=\"ja\">", "<html amp lang=\"ja\">"))
    items, lis = [], []
    for a in sorted(arts, key=lambda x: x.date, reverse=True):
        link = f"{host}/amp/articles/{a.id}/" if a.id in ZUBARI_AMP else a.url
        lis.append(f'<rdf:li rdf:resource="{link}"/>')
        # RSS 1.0 without dc:date on purpose: this outlet prints no ISO datetime anywhere.
        items.append(f"""<item rdf:about="{link}">
<title>{e(a.title)}</title>
<link>{link}</link>
<description>{e(a.body_paras[0][:50])}…</description>
<dc:subject>{e(a.section)}</dc:subject>
</item>""")
    write(k, "/index.rdf", f"""<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns="http://purl.org/rss/1.0/" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dc="http://purl.org/dc/elements/1.1/" xml:lang="ja">
<channel rdf:about="{host}/index.rdf">
<title>{name}</title>
<link>{host}/</link>
<description>ニュースの裏側、ズバリ書きます</description>
<items><rdf:Seq>
{chr(10).join(lis)}
</rdf:Seq></items>
</channel>
{chr(10).join(items)}
</rdf:RDF>
""")
    write(k, "/robots.txt", "User-agent: *\nDisallow: /wp-admin/\n")
    write(k, "/index.html", simple_home(k, arts, '<meta charset="UTF-8">'))
    slow = next(a for a in arts if a.id == ZUBARI_SLOW)
    write(k, "/_site.toml", f"""# Fictional web tabloid (offline fixture). UTF-8; dates only as 2024年3月5日 15時02分 (JST).
charset = "utf-8"
header_charset = true

[[path]]   # a slow page: the crawler must wait or time out politely
match = "{path_of(slow.url)}"
delay = 3.0
""")


# ---------------------------------------------------------------- outlet 5: community paper (CP932, no charset)

def build_kasei(arts: list[Article]) -> None:
    k, host, name = "kasei", _h("kasei"), OUTLETS["kasei"]["name"]
    for a in arts:
        by = f'<div class="kz-by">記者：{e(a.author)}</div>' if a.author else ""
        page = f"""<html>
<head>
<title>{e(a.title)}-{name}</title>
<meta name="keywords" content="在日華人,日本,華声">
<meta property="og:title" content="{e(a.title)}">
<meta property="og:url" content="{a.url}">
<link rel="canonical" href="{a.url}">
<link rel="stylesheet" href="/css/kz.css">
<script src="/js/jquery.min.js"></script>
</head>
<body>
<table class="kz-head" width="100%"><tr><td><a href="{host}/"><img src="/img/kasei_jp.gif" alt="{name}"></a></td>
<td class="kz-lang"><a href="http://www.kasei-news.test/">中文版</a> | 日本語版</td></tr></table>
<div class="kz-nav"><a href="{host}/">トップ</a> <a href="{host}/news/">ニュース</a> <a href="{host}/life/">暮らし</a> <a href="{host}/ad/">広告掲載</a></div>
<div class="kz-main">
<div class="kz-crumb">現在位置：<a href="{host}/">トップ</a> &gt;&gt; <a href="{host}/news/">{e(a.section)}</a></div>
<h2 class="kz-title">{e(a.title)}</h2>
<div class="kz-info">{jp_date(a.date, 'zero')}　{by}　<span class="kz-src">{name}</span></div>
<div class="kz-content" id="zoom">
{ptags(a)}
</div>
<div class="kz-pr"><img src="/img/banner_kaigo.gif" alt="">中国語対応の不動産・ビザ相談　お気軽にどうぞ</div>
<div class="kz-share">シェア：<a href="#">微信</a> <a href="#">微博</a> <a href="#">LINE</a></div>
<div class="kz-rel"><b>関連ニュース</b><ul>{li_links(neighbours(a, arts, 3))}</ul></div>
</div>
<div class="kz-right"><b>人気記事ランキング</b><ol>{li_links(ranking(arts))}</ol></div>
<div class="kz-foot">{name}（株式会社華声メディア） 東京都豊島区 Copyright 2022-2025</div>
</body>
</html>
"""
        write(k, path_of(a.url), page)
    urls = "\n".join(f"<url><loc>{a.url}</loc><lastmod>{a.date:%Y-%m-%d}</lastmod></url>" for a in arts)
    write(k, "/sitemap.xml", f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{host}/</loc></url>
{urls}
</urlset>
""")
    write(k, "/robots.txt", f"User-agent: *\nAllow: /\nSitemap: {host}/sitemap.xml\n")
    write(k, "/index.html", simple_home(k, arts))
    write(k, "/_site.toml", """# Fictional Japanese edition of a Chinese community paper (offline fixture).
# Pages are CP932 with NO charset anywhere (no header charset, no <meta>): it must be detected.
charset = "shift_jis"
header_charset = false
""", codec="utf-8")


# ---------------------------------------------------------------- outlet 6: regional daily (broken header)

SEARCH_QUERIES = {  # query -> story ids whose articles the static result page lists
    "潤日": None, "中国人 移住": None, "経営管理ビザ 中国人": ("bmv-capital-hike", "osaka-minpaku"),
    "タワマン 中国人": ("tower-condo-buyers", "osaka-minpaku"), "中国人富裕層": None,
}
NANIWA_MISSING = "/news/kansai/20230301-n0099.html"


def build_naniwa(arts: list[Article]) -> None:
    k, host, name = "naniwa", _h("naniwa"), OUTLETS["naniwa"]["name"]
    for a in arts:
        iso = a.date.isoformat()
        by = f'<span class="nw-credit">（{e(a.author)}）</span>' if a.author else ""
        page = f"""<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<title>{e(a.title)}｜{name}</title>
<meta property="og:title" content="{e(a.title)}">
<meta property="og:url" content="{a.url}">
<link rel="canonical" href="{a.url}">
<style>.nw-txt p{{text-indent:1em}}</style>
<script>window.dataLayer=window.dataLayer||[];dataLayer.push({{"page":"article"}});</script>
</head>
<body>
<div class="nw-hd"><a href="{host}/" class="nw-logo">{name}</a><form action="{host}/search" method="get"><input name="q" placeholder="記事検索"><button>検索</button></form></div>
<ul class="nw-gnav"><li><a href="{host}/news/kansai/">関西</a></li><li><a href="{host}/news/tigers/">タイガース</a></li><li><a href="{host}/news/weather/">天気</a></li></ul>
<div class="nw-bc"><a href="{host}/">ホーム</a> / <a href="{host}/news/kansai/">{e(a.section)}</a></div>
<div class="nw-wrap">
<div class="nw-article">
<h1>{e(a.title)}</h1>
<div class="nw-meta"><time datetime="{iso}">{jp_date(a.date, 'day')}</time> {by}</div>
<div class="nw-txt">
{ptags(a)}
</div>
<div class="nw-sns"><a href="#">ポスト</a> <a href="#">シェア</a></div>
<div class="nw-adbox"><ins class="adsbygoogle" data-ad-slot="1234"></ins><script>(adsbygoogle=window.adsbygoogle||[]).push({{}});</script></div>
<div class="nw-kanren"><h2>関連ニュース</h2><ul>{li_links(neighbours(a, arts))}</ul></div>
</div>
<div class="nw-side"><h2>よく読まれている記事</h2><ol>{li_links(ranking(arts))}</ol></div>
</div>
<div class="nw-ft">{name}社 大阪市北区 ｜ 記事の無断転載を禁じます</div>
</body>
</html>
"""
        write(k, path_of(a.url), page)
    newest = sorted(arts, key=lambda x: x.date, reverse=True)
    per = 7
    pages = [newest[i:i + per] for i in range(0, len(newest), per)]
    for n, chunk in enumerate(pages, 1):
        url = f"{host}/news/kansai/" if n == 1 else f"{host}/news/kansai/{n}.html"
        items = "\n".join(f'<li><a href="{a.url}">{e(a.title)}</a> <span>{a.date.month}/{a.date.day}</span></li>' for a in chunk)
        if n == len(pages):  # a stale link to a deleted article (404)
            items += f'\n<li><a href="{host}{NANIWA_MISSING}">天神祭の船渡御、今年の見どころ</a> <span>3/1</span></li>'
        nav = f'<a rel="next" href="{host}/news/kansai/{n+1}.html">次へ &raquo;</a>' if n < len(pages) else ""
        write(k, path_of(url), f"""<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><title>関西ニュース一覧｜{name}</title></head>
<body><div class="nw-hd"><a href="{host}/">{name}</a></div>
<h1>関西のニュース</h1><ul class="nw-list">
{items}
</ul><div class="nw-pager">{nav}</div>
<div class="nw-ft">{name}</div></body></html>
""")
    items = "\n".join(f"""<item><title>{e(a.title)}</title><link>{a.url}</link>
<pubDate>{format_datetime(a.date)}</pubDate><guid>{a.url}</guid></item>""" for a in newest[:10])
    write(k, "/rss/kansai.xml", f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>{name} 関西ニュース</title><link>{host}/</link>
<description>大阪・関西の最新ニュース</description>
{items}
</channel></rss>
""")
    # Static search result pages served through [[route]].
    routes = []
    for i, (q, stories) in enumerate(SEARCH_QUERIES.items()):
        hits = [a for a in newest if a.relevant and (stories is None or a.story in stories)]
        pages = [hits[j:j + 6] for j in range(0, len(hits), 6)] or [[]]
        for n, chunk in enumerate(pages, 1):
            fn = f"search/q{i}_p{n}.html"
            res = "\n".join(f'<div class="nw-result"><a href="{a.url}">{e(a.title)}</a>'
                            f'<p class="nw-result-snippet">{e(a.body_paras[0][:60])}…</p></div>' for a in chunk)
            nxt = (f'<a class="next" rel="next" href="{host}/search?q={e(q)}&amp;page={n+1}">次の検索結果</a>'
                   if n < len(pages) else "")
            write(k, "/" + fn, f"""<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><title>「{e(q)}」の検索結果｜{name}</title><meta name="robots" content="noindex"></head>
<body><div class="nw-hd"><a href="{host}/">{name}</a></div>
<h1>「{e(q)}」の検索結果 {len(hits)}件</h1>
{res}
<div class="nw-pager">{nxt}</div></body></html>
""")
            query = f'{{ q = "{q}" }}' if n == 1 else f'{{ q = "{q}", page = "{n}" }}'
            routes.append((n, f'[[route]]\npath = "/search"\nquery = {query}\nfile = "{fn}"\n'))
    # more specific (page=N) routes first: a route matches when all *listed* params match
    routes.sort(key=lambda r: -r[0])
    write(k, "/robots.txt", "User-agent: *\nAllow: /\n")
    write(k, "/index.html", simple_home(k, arts, '<meta charset="utf-8">'))
    write(k, "/_site.toml", """# Fictional Osaka regional daily (offline fixture).
# BROKEN CHARSET on purpose: the server's default config adds "charset=iso-8859-1" to every
# Content-Type (classic Apache AddDefaultCharset mistake), while the files really are UTF-8 and
# the pages carry a correct <meta charset="utf-8">. Decoding by the header gives mojibake.
charset = "iso-8859-1"
header_charset = true

""" + "\n".join(r for _, r in routes), codec="utf-8")


BUILDERS = {"nichinichi": build_nichinichi, "totohoso": build_totohoso, "tohobiz": build_tohobiz,
            "zubari": build_zubari, "kasei": build_kasei, "naniwa": build_naniwa}


# ---------------------------------------------------------------- gold + sources


def write_gold(outlets: dict[str, list[Article]]) -> None:
    GOLD.mkdir(parents=True, exist_ok=True)
    for key, arts in outlets.items():
        lines = []
        for a in arts:
            if a.members:
                continue
            lines.append(json.dumps({
                "url": a.url, "title": a.title, "published_at": a.date.isoformat(),
                "author": a.author, "lang": "ja", "body": "\n".join(a.body_paras),
                "relevant": a.relevant, "story": a.story, "dup_of": a.dup_of,
            }, ensure_ascii=False))
        (GOLD / f"{OUTLETS[key]['host']}.jsonl").write_text("\n".join(lines) + "\n", "utf-8")


# ---------------------------------------------------------------- checks

# (title, body paragraphs) CSS per outlet; also used in the source files' [selectors] where needed
SELECTORS = {
    "nichinichi": ("h1.NewsTitle", "div.NewsBody > p"),
    "totohoso": ("h1.tn-article__title", "section.tn-article__body > p"),
    "tohobiz": ("h1.article-title", "div.article-body > p"),
    "zubari": ("h1.zb-title", "div.zb-body > p"),
    "kasei": ("h2.kz-title", "div.kz-content > p"),
    "naniwa": ("div.nw-article h1", "div.nw-txt > p"),
}


def check(outlets: dict[str, list[Article]] | None = None) -> list[str]:
    """Decode every file, parse every XML, check gold URLs are discoverable. Returns problems."""
    import lxml.html
    from lxml import etree
    problems: list[str] = []
    true_codec = {"nichinichi": "cp932", "totohoso": "utf-8", "tohobiz": "euc_jp",
                  "zubari": "utf-8", "kasei": "cp932", "naniwa": "utf-8"}
    stories = {s["id"] for s in tomllib.loads((CORPUS / "gold" / "stories.toml").read_text("utf-8"))["story"]}
    for key, o in OUTLETS.items():
        root = WEB / o["host"]
        site = tomllib.loads((root / "_site.toml").read_text("utf-8"))
        redirects = {p["match"]: p["redirect"] for p in site.get("path", []) if "redirect" in p}
        found: set[str] = set()
        for f in sorted(root.rglob("*")):
            if not f.is_file() or f.name == "_site.toml":
                continue
            rel = "/" + f.relative_to(root).as_posix()
            raw = f.read_bytes()
            if f.suffix in (".xml", ".rdf", ".atom"):
                try:
                    doc = etree.fromstring(raw)
                except etree.XMLSyntaxError as exc:
                    problems.append(f"{o['host']}{rel}: bad XML: {exc}")
                    continue
                found.update(t.strip() for t in doc.itertext() if t.strip().startswith("http"))
                found.update(v for el in doc.iter() for n, v in el.attrib.items()
                             if n in ("href", "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}resource"))
                continue
            codec = "utf-8" if fnmatch.fnmatch(rel, "/sitemap*") else true_codec[key]
            try:
                text = raw.decode(codec)
            except UnicodeDecodeError as exc:
                problems.append(f"{o['host']}{rel}: not {codec}: {exc}")
                continue
            if key == "zubari" and re.search(r"\d{4}-\d\d-\d\dT\d", text):
                problems.append(f"{o['host']}{rel}: ISO datetime on the tabloid")
            if "/articles/" in rel or "/news/" in rel or "/search/" in rel or rel == "/index.html":
                if rel.startswith(("/news/", "/list/", "/search/")) or rel == "/index.html" or "/list/" in rel:
                    found.update(html.unescape(h) for h in re.findall(r'href="(http[^"]+)"', text))
        if outlets is None:
            continue
        # follow redirects and strip feed variants, as a crawler's canonicalisation would
        norm = set()
        for u in found:
            u = u.split("?")[0].replace("/amp/articles/", "/articles/")
            p = urlsplit(u).path
            for _ in range(5):
                if p in redirects:
                    p = redirects[p]
            norm.add(f"http://{o['host']}{p}")
        gold = [json.loads(ln) for ln in (GOLD / f"{o['host']}.jsonl").read_text("utf-8").splitlines()]
        for g in gold:
            if g["url"] not in norm:
                problems.append(f"{g['url']}: not linked from any feed/sitemap/listing")
            if g["story"] not in stories and g["story"] != "none":
                problems.append(f"{g['url']}: unknown story {g['story']}")
            if g["relevant"] != (g["story"] != "none"):
                problems.append(f"{g['url']}: relevant/story mismatch")
            if not 300 <= len(g["body"]) <= 1500 + 400:
                problems.append(f"{g['url']}: body length {len(g['body'])}")
            path = WEB / o["host"] / path_of(g["url"]).lstrip("/")
            page = path.read_bytes().decode(true_codec[key])
            # a perfect extractor: the <p>s of the body container, whitespace-trimmed
            title_sel, body_sel = SELECTORS[key]
            tree = lxml.html.fromstring(page)
            paras = [p.text_content().strip() for p in tree.cssselect(body_sel)]
            if "\n".join(x for x in paras if x) != g["body"]:
                problems.append(f"{g['url']}: body differs from the page's <p>s")
            if tree.cssselect(title_sel)[0].text_content().strip() != g["title"]:
                problems.append(f"{g['url']}: title differs from the page")
    return problems


def summary() -> str:
    rows, per_story, dups = [], Counter(), Counter()
    for o in OUTLETS.values():
        gold = [json.loads(ln) for ln in (GOLD / f"{o['host']}.jsonl").read_text("utf-8").splitlines()]
        rel = sum(g["relevant"] for g in gold)
        rows.append(f"{o['host']:32} articles={len(gold):3} relevant={rel:3} irrelevant={len(gold)-rel:3} "
                    f"dups={sum(bool(g['dup_of']) for g in gold)}")
        for g in gold:
            per_story[g["story"]] += 1
            if g["dup_of"]:
                dups[g["story"]] += 1
    rows.append("per story: " + ", ".join(f"{s}={n}" + (f"(dup {dups[s]})" if dups[s] else "")
                                           for s, n in sorted(per_story.items())))
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="only check files on disk")
    args = ap.parse_args(argv)
    outlets = load()
    if not args.check:
        for key, arts in outlets.items():
            shutil.rmtree(WEB / OUTLETS[key]["host"], ignore_errors=True)
            BUILDERS[key](arts)
        write_gold(outlets)
    problems = check(outlets)
    for p in problems:
        print("PROBLEM", p, file=sys.stderr)
    print(summary())
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
