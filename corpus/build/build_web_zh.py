"""Build the Chinese half of the offline web (6 fictional outlets) plus its extraction gold.

Run:  .venv/bin/python corpus/build/build_web_zh.py

Reads the article texts from corpus/build/articles_zh/<outlet>.txt and writes, for each outlet,
corpus/web/<host>/ (pages stored as bytes in the outlet's real encoding), corpus/gold/extraction/<host>.jsonl
and corpus/sources/offline/<source id>.toml. Re-running replaces exactly those files.

Article file format (one file per outlet, entries separated by lines starting with "=== <id>"):

    === 101
    title: 标题
    date: 2022-04-18 09:30          (local time of the outlet)
    author: 林晓                      ("-" = no author printed)
    story: shanghai-lockdown-exodus   ("none" = off-topic, relevant false)
    section: 社区
    copy_of: shenzhou/201             (optional: syndicated copy of another entry)
    convert: s2hk                     (optional: OpenCC config applied to the copied paragraphs)
    ---
    paragraph                         (one line = one paragraph; "## text" = in-body subheading)
    <<SOURCE>>                        (in a copy: the original's paragraphs, converted)
"""

from __future__ import annotations

import html
import json
import re
import shutil
import sys
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import quote_plus

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
ARTICLES = CORPUS / "build" / "articles_zh"


@dataclass
class Outlet:
    key: str
    source_id: str
    host: str
    name: str
    lang: str
    country: str
    tz_name: str
    utc_offset: int  # hours
    charset: str  # the encoding the bytes are really in
    header_charset: bool
    meta_charset: bool

    @property
    def tz(self) -> timezone:
        return timezone(timedelta(hours=self.utc_offset))

    @property
    def base(self) -> str:
        return f"http://{self.host}"


OUTLETS: dict[str, Outlet] = {
    o.key: o
    for o in [
        Outlet(
            "dongying",
            "zh_dongying_xinbao",
            "www.dongying-xinbao.test",
            "东瀛新报",
            "zh-Hans",
            "JP",
            "Asia/Tokyo",
            9,
            "utf-8",
            True,
            True,
        ),
        Outlet(
            "shenzhou",
            "zh_shenzhou_wang",
            "news.shenzhou-wang.test",
            "神州网",
            "zh-Hans",
            "CN",
            "Asia/Shanghai",
            8,
            "gbk",
            True,
            True,
        ),
        Outlet(
            "baodao",
            "zh_baodao_daily",
            "www.baodao-daily.test",
            "寶島日報",
            "zh-Hant",
            "TW",
            "Asia/Taipei",
            8,
            "big5",
            False,
            True,
        ),
        Outlet(
            "xiangjiang",
            "zh_xiangjiang_kuaixun",
            "www.xiangjiang-kuaixun.test",
            "香江快訊",
            "zh-Hant",
            "HK",
            "Asia/Hong_Kong",
            8,
            "utf-8",
            True,
            True,
        ),
        Outlet(
            "nanyang",
            "zh_nanyang_shidian",
            "www.nanyang-shidian.test",
            "南洋视点",
            "zh-Hans",
            "SG",
            "Asia/Singapore",
            8,
            "utf-8",
            True,
            True,
        ),
        Outlet(
            "bian",
            "zh_bian_tongxun",
            "www.bian-tongxun.test",
            "彼岸通讯",
            "zh-Hans",
            "JP",
            "Asia/Tokyo",
            9,
            "gb18030",
            False,
            False,
        ),
    ]
}

# Mainland pages that are GB18030 (they contain characters outside GBK); declared as gb18030.
GB18030_PAGES = {"shenzhou/206", "shenzhou/213"}


@dataclass
class Article:
    outlet: Outlet
    id: int
    title: str
    date: datetime  # aware, outlet's offset
    author: str | None
    story: str
    section: str
    paras: list[tuple[str, str]]  # ("p" | "h", text)
    copy_of: str | None = None
    convert: str | None = None
    path: str = ""
    dup_of: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.outlet.key}/{self.id}"

    @property
    def url(self) -> str:
        return self.outlet.base + self.path

    @property
    def relevant(self) -> bool:
        return self.story != "none"

    @property
    def body(self) -> str:
        return "\n".join(t for _, t in self.paras)


def e(text: str) -> str:
    return html.escape(text, quote=True)


# --------------------------------------------------------------------------- parsing


def parse_file(outlet: Outlet, text: str) -> list[Article]:
    out: list[Article] = []
    for chunk in re.split(r"^=== ", text, flags=re.M)[1:]:
        head, _, body = chunk.partition("\n---\n")
        lines = head.strip().splitlines()
        meta: dict[str, str] = {"id": lines[0].strip()}
        for line in lines[1:]:
            k, _, v = line.partition(":")
            meta[k.strip()] = v.strip()
        paras: list[tuple[str, str]] = []
        for line in body.strip().splitlines():
            line = line.strip()
            if not line:
                continue
            if line.startswith("## "):
                paras.append(("h", line[3:].strip()))
            else:
                paras.append(("p", line))
        dt = datetime.strptime(meta["date"][:16], "%Y-%m-%d %H:%M").replace(tzinfo=outlet.tz)
        author = meta.get("author", "-")
        out.append(
            Article(
                outlet=outlet,
                id=int(meta["id"]),
                title=meta["title"],
                date=dt,
                author=None if author == "-" else author,
                story=meta["story"],
                section=meta.get("section", "新闻"),
                paras=paras,
                copy_of=meta.get("copy_of"),
                convert=meta.get("convert"),
                extra={k: v for k, v in meta.items() if k.startswith("x_")},
            )
        )
    return out


def _converter(config: str) -> Callable[[str], str]:
    """OpenCC script conversion plus the corner quotes traditional-script outlets use."""
    import opencc

    cc = opencc.OpenCC(config)
    return lambda s: cc.convert(s).replace("“", "「").replace("”", "」")


def resolve_copies(arts: dict[str, Article]) -> None:

    for a in arts.values():
        if not a.copy_of:
            continue
        src = arts[a.copy_of]
        conv: Callable[[str], str] = _converter(a.convert) if a.convert else (lambda s: s)
        new: list[tuple[str, str]] = []
        for kind, text in a.paras:
            if text == "<<SOURCE>>":
                new.extend((k, conv(t)) for k, t in src.paras)
            else:
                new.append((kind, text))
        a.paras = new
        a.dup_of = src.url  # copies name the earliest publication
        assert src.date < a.date, f"{a.key}: copy must be later than its original"


# --------------------------------------------------------------------------- URL scheme per outlet


def assign_path(a: Article) -> None:
    d = a.date
    match a.outlet.key:
        case "dongying":
            a.path = f"/article/{d:%Y%m}/{a.id + 30000}.html"
        case "shenzhou":
            a.path = f"/a/{d:%Y%m%d}/{a.id * 7919 + 4600000}.html"
        case "baodao":
            a.path = f"/news/{d:%Y%m%d}/{a.id + 880000}.html"
        case "xiangjiang":
            a.path = f"/article/{d:%Y-%m-%d}/{a.id + 5000}.html"
        case "nanyang":
            kind = "commentary" if a.section == "评论" else "news"
            a.path = f"/{kind}/story{d:%Y%m%d}-{a.id + 1400000}.html"
        case "bian":
            a.path = f"/essays/{a.id + 700}.html"


# --------------------------------------------------------------------------- shared page pieces

SHARE = (
    '<div class="share"><span>分享到：</span><a class="share-wechat" href="#">微信</a>'
    '<a class="share-weibo" href="#">微博</a><a class="share-x" href="#">X</a></div>'
)


def jsonld(a: Article, publisher: str) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": a.title,
        "datePublished": a.date.isoformat(),
        "dateModified": (a.date + timedelta(hours=2)).isoformat(),
        "mainEntityOfPage": a.url,
        "publisher": {"@type": "Organization", "name": publisher},
        "inLanguage": a.outlet.lang,
    }
    if a.author:
        data["author"] = {"@type": "Person", "name": a.author}
    return f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>'


def summary(a: Article, n: int = 60) -> str:
    first = next(t for k, t in a.paras if k == "p")
    return first if len(first) <= n else first[:n] + "…"


def others(a: Article, pool: list[Article], n: int) -> list[Article]:
    rest = [x for x in pool if x.id != a.id]
    rest.sort(key=lambda x: (x.story != a.story, abs((x.date - a.date).days)))
    return rest[:n]


def li_links(items: list[Article], cls: str = "") -> str:
    return "".join(f'<li{cls}><a href="{x.url}">{e(x.title)}</a></li>' for x in items)


# --------------------------------------------------------------------------- templates


def page_dongying(a: Article, pool: list[Article]) -> str:
    o = a.outlet
    body = []
    for i, (k, t) in enumerate(a.paras):
        body.append(f'<p class="subtitle"><strong>{e(t)}</strong></p>' if k == "h" else f"<p>{e(t)}</p>")
        if i == 0:
            body.append(
                '<figure class="pic"><img src="/img/placeholder.jpg" alt="">'
                f"<figcaption>资料图：{e(a.section)}（东瀛新报记者摄）</figcaption></figure>"
            )
        if i == 2 and len(a.paras) > 4:
            body.append(
                '<div class="ad-inline"><span class="ad-label">广告</span>'
                '<a href="http://ad.dongying-xinbao.test/click?id=77">在日华人专属保险，线上一分钟投保</a></div>'
            )
    author = f'<span class="author">记者 {e(a.author)}</span>' if a.author else ""
    ts = f"{a.date.year}年{a.date.month}月{a.date.day}日 {a.date:%H:%M}"
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>{e(a.title)}_东瀛新报</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="{e(summary(a))}">
<meta property="og:title" content="{e(a.title)}">
<meta property="og:type" content="article">
<meta property="og:url" content="{a.url}">
<meta property="og:site_name" content="东瀛新报">
<link rel="canonical" href="{a.url}">
<link rel="alternate" type="application/rss+xml" title="东瀛新报" href="{o.base}/rss.xml">
<style>body{{font-family:"PingFang SC",sans-serif}}.article-content p{{line-height:1.9}}.ad-inline{{border:1px solid #eee}}</style>
{jsonld(a, "东瀛新报")}
<script>window.dataLayer=window.dataLayer||[];dataLayer.push({{"page":"article","aid":"{a.id}"}});</script>
</head><body>
<header class="site-header"><div class="logo"><a href="{o.base}/">东瀛新报 <small>日本华文报</small></a></div>
<nav><a href="{o.base}/">首页</a><a href="{o.base}/news/">社区新闻</a><a href="{o.base}/news/">日本社会</a><a href="{o.base}/news/">生活资讯</a><a href="{o.base}/news/">招聘房产</a></nav></header>
<div class="breadcrumb"><a href="{o.base}/">首页</a> &gt; <a href="{o.base}/news/">{e(a.section)}</a> &gt; 正文</div>
<main class="container"><article class="news-article">
<h1 class="title">{e(a.title)}</h1>
<div class="meta"><span class="date">{ts}</span>{author}<span class="source">来源：{e(a.extra.get("x_source", "东瀛新报"))}</span></div>
{SHARE}
<div class="article-content">
{chr(10).join(body)}
</div>
<div class="editor">（责任编辑：{"周雯" if a.id % 2 else "高桥·林"}）</div>
<div class="copyright">本文版权归东瀛新报所有，未经授权不得转载。</div>
</article>
<section class="related"><h3>相关阅读</h3><ul>{li_links(others(a, pool, 4))}</ul></section>
<aside class="sidebar"><h3>热门排行</h3><ol>{li_links(pool[-5:][::-1])}</ol>
<div class="ad-box">广告位招租 03-1234-5678</div></aside></main>
<footer><p>东瀛新报社 东京都丰岛区池袋 ｜ 关于我们 ｜ 广告刊登 ｜ 联系我们</p><p>© 2012-2025 东瀛新报 版权所有</p></footer>
</body></html>
"""


COMMENTS = [
    "支持，有条件的都应该出去看看。",
    "说到底还是崇洋媚外。",
    "日本物价也不低，想清楚再走。",
    "楼上说得对，国外没那么好混。",
    "转发了，给在考虑的朋友看看。",
]


def page_shenzhou(a: Article, pool: list[Article], charset: str) -> str:
    o = a.outlet
    body = []
    for i, (k, t) in enumerate(a.paras):
        body.append(f"<p><strong>{e(t)}</strong></p>" if k == "h" else f"<p>{e(t)}</p>")
        if i == 0:
            body.append(
                '<div class="img_wrapper"><img src="/img/pic.jpg" alt="">'
                '<span class="img_descr">资料图。图片来源：视觉中国</span></div>'
            )
        if i == 1:
            body.append(
                '<div class="ad-slot" id="ad_article_mid"><script>loadAd("article_mid_300x250");</script></div>'
            )
    source = a.extra.get("x_source", "神州网")
    author = f'<span class="author">作者：{e(a.author)}</span>' if a.author else ""
    comments = "".join(
        f'<li><span class="user">网友{(a.id * 31 + i) % 9000 + 1000}</span>{e(c)}</li>'
        for i, c in enumerate(COMMENTS[a.id % 3 : a.id % 3 + 3])
    )
    mobile = o.base.replace("http://news.", "http://m.")
    return f"""<!DOCTYPE html>
<html><head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{e(a.title)}|{e(a.section)}_神州网</title>
<meta name="keywords" content="{e(a.section)},日本,{e(a.title[:8])}">
<meta name="description" content="{e(summary(a, 80))}">
<meta property="og:type" content="news">
<meta property="og:title" content="{e(a.title)}">
<meta property="og:url" content="{a.url}">
<meta name="mobile-agent" content="format=html5; url={mobile}{a.path}">
<link rel="canonical" href="{a.url}">
<style type="text/css">#artibody p{{text-indent:2em;font-size:16px}}.ad-slot{{margin:10px 0}}</style>
<script type="text/javascript">var ARTICLE_INFO={{docid:"{a.id}",channel:"news"}};function loadAd(s){{}}</script>
</head><body>
<div class="top-bar"><a href="{o.base}/">神州网首页</a> | <a href="{o.base}/roll/">滚动</a> | <a href="{o.base}/search">搜索</a> | 登录 注册</div>
<div class="nav"><a href="{o.base}/">新闻</a><a href="{o.base}/roll/">国内</a><a href="{o.base}/roll/">国际</a><a href="{o.base}/roll/">财经</a><a href="{o.base}/roll/">体育</a><a href="{o.base}/roll/">科技</a></div>
<div class="crumbs"><a href="{o.base}/">神州网</a> &gt; <a href="{o.base}/roll/">{e(a.section)}</a> &gt; 正文</div>
<div class="main-content">
<h1 class="main-title">{e(a.title)}</h1>
<div class="date-source"><span class="date">{a.date:%Y-%m-%d %H:%M:%S}</span> <span class="source">来源：{e(source)}</span> {author}</div>
<div class="ad-slot" id="ad_top_banner"><script>loadAd("top_banner");</script></div>
<div class="article" id="artibody">
{chr(10).join(body)}
<p class="show_author">责任编辑：{"刘洋" if a.id % 2 else "张蕾"} SN{a.id:03d}</p>
</div>
<div class="keywords">关键词：<a href="#">{e(a.section)}</a></div>
{SHARE}
<div class="related"><h2>相关新闻</h2><ul>{li_links(others(a, pool, 4))}</ul></div>
<div class="comment-box"><h2>网友评论</h2><ul>{comments}</ul><a href="#">查看全部评论</a></div>
</div>
<div class="side"><h2>热门排行</h2><ol>{li_links(pool[:6])}</ol><div class="ad-slot">点击领取新人红包</div></div>
<div class="footer">神州网版权所有 ｜ 互联网新闻信息服务许可证 ｜ 违法和不良信息举报电话：12377</div>
</body></html>
"""


def roc_date(d: datetime) -> str:
    return f"民國{d.year - 1911}年{d.month}月{d.day}日 {d:%H:%M}"


def page_baodao(a: Article, pool: list[Article]) -> str:
    o = a.outlet
    body = [f"<h3>{e(t)}</h3>" if k == "h" else f"<p>{e(t)}</p>" for k, t in a.paras]
    body.insert(
        1, '<div class="photo"><img src="/img/news.jpg" alt=""><p class="caption">圖／資料照片</p></div>'
    )
    ts = roc_date(a.date) if a.extra.get("x_roc") else f"{a.date:%Y/%m/%d %H:%M}"
    author_meta = f'<meta name="author" content="{e(a.author)}">' if a.author else ""
    byline = (
        f'<div class="byline">記者<span class="reporter">{e(a.author)}</span>／{e(a.extra.get("x_place", "綜合報導"))}</div>'
        if a.author
        else '<div class="byline">寶島日報／綜合報導</div>'
    )
    return f"""<!DOCTYPE html>
<html lang="zh-Hant-TW"><head><meta charset="big5">
<title>{e(a.title)} - 國際 - 寶島日報</title>
{author_meta}
<meta property="og:title" content="{e(a.title)}">
<meta property="og:url" content="{a.url}">
<meta property="og:description" content="{e(summary(a))}">
<link rel="canonical" href="{a.url}">
<style>.story p{{font-size:17px}} .hot li{{list-style:decimal}}</style>
<script>var _ga_cfg = {{section: "international", id: {a.id}}};</script>
</head><body>
<div id="header"><a class="brand" href="{o.base}/">寶島日報</a>
<ul class="menu"><li><a href="{o.base}/">即時</a></li><li><a href="{o.base}/">政治</a></li><li><a href="{o.base}/">國際</a></li><li><a href="{o.base}/">財經</a></li><li><a href="{o.base}/">生活</a></li></ul></div>
<div class="path"><a href="{o.base}/">首頁</a> › <a href="{o.base}/">{e(a.section)}</a></div>
<div id="content"><div class="article-head"><h1>{e(a.title)}</h1>
<div class="time">{ts}</div>{byline}</div>
<div class="ad"><ins class="adsbygoogle" data-slot="1234"></ins></div>
<div class="story">
{chr(10).join(body)}
</div>
<p class="more-news">更多寶島日報報導</p>
<ul class="more">{li_links(others(a, pool, 3))}</ul>
{SHARE}
<div class="hot"><h4>熱門新聞</h4><ol>{li_links(pool[-5:])}</ol></div></div>
<div id="footer">寶島日報 版權所有 © 2025 ｜ 台北市中山區 ｜ 服務信箱</div>
</body></html>
"""


def hk_time(d: datetime) -> str:
    h = d.hour
    half = "上午" if h < 12 else "下午"
    h12 = h if h <= 12 else h - 12
    return f"{d.year}年{d.month}月{d.day}日 {half}{h12}:{d:%M}"


def page_xiangjiang(a: Article, pool: list[Article]) -> str:
    o = a.outlet
    body = [f"<h3>{e(t)}</h3>" if k == "h" else f"<p>{e(t)}</p>" for k, t in a.paras]
    # Some pages share the mobile URL as og:url (a real habit); canonical stays on www.
    og_url = a.url.replace("http://www.", "http://m.") if a.id % 3 == 0 else a.url
    updated = a.date + timedelta(hours=5, minutes=25)
    author = f'<span class="byline">記者：{e(a.author)}</span>' if a.author else ""
    return f"""<!DOCTYPE html>
<html lang="zh-HK"><head><meta charset="utf-8">
<title>{e(a.title)}｜香江快訊</title>
<meta property="og:title" content="{e(a.title)}｜香江快訊">
<meta property="og:url" content="{og_url}">
<meta property="og:locale" content="zh_HK">
<meta property="article:published_time" content="{a.date.isoformat()}">
<link rel="canonical" href="{a.url}">
<link rel="alternate" type="application/atom+xml" href="{o.base}/feed.atom">
{jsonld(a, "香江快訊")}
<style>:root{{--brand:#c00}} article p{{margin:0 0 1em}}</style>
</head><body>
<header><a class="logo" href="{o.base}/">香江快訊</a><nav><a href="{o.base}/">港聞</a><a href="{o.base}/list/japan/">日本</a><a href="{o.base}/list/japan/">兩岸</a><a href="{o.base}/list/japan/">財經</a><a href="{o.base}/list/japan/">娛樂</a></nav></header>
<main><article>
<div class="cat"><a href="{o.base}/list/japan/">{e(a.section)}</a></div>
<h1>{e(a.title)}</h1>
<div class="info">{author}<span>發佈：<time datetime="{a.date.isoformat()}">{hk_time(a.date)}</time></span> ｜ <span>更新：<time datetime="{updated.isoformat()}">{hk_time(updated)}</time></span></div>
{SHARE}
<section class="article-body">
{chr(10).join(body)}
</section>
<div class="tags">標籤：<a href="#">{e(a.section)}</a> <a href="#">日本</a></div>
</article>
<aside><div class="ad-300">廣告</div><h2>相關新聞</h2><ul>{li_links(others(a, pool, 4))}</ul>
<h2>最多人睇</h2><ol>{li_links(pool[:5])}</ol></aside></main>
<footer>© 香江快訊 Xiangjiang Express ｜ 私隱政策 ｜ 聯絡我們</footer>
<script>document.querySelectorAll('.share a').forEach(function(x){{x.onclick=function(){{return false}}}});</script>
</body></html>
"""


def page_nanyang(a: Article, pool: list[Article]) -> str:
    o = a.outlet
    body = [f"<h2>{e(t)}</h2>" if k == "h" else f"<p>{e(t)}</p>" for k, t in a.paras]
    role = a.extra.get("x_role", "本报记者")
    byline = (
        f'<div class="byline">文／<span class="author-name">{e(a.author)}</span>'
        f'<span class="author-role">（{e(role)}）</span></div>'
        if a.author
        else ""
    )
    note = (
        '<p class="author-note">（作者是本报特约评论员。本文观点不代表本报立场）</p>'
        if a.section == "评论"
        else ""
    )
    return f"""<!DOCTYPE html>
<html lang="zh-Hans-SG"><head><meta charset="UTF-8">
<title>{e(a.title)} | 南洋视点</title>
<meta name="author" content="{e(a.author or "南洋视点")}">
<meta property="og:title" content="{e(a.title)}">
<meta property="og:url" content="{a.url}">
<meta property="article:section" content="{e(a.section)}">
<link rel="canonical" href="{a.url}">
{jsonld(a, "南洋视点") if a.section == "评论" else ""}
<style>.article-text p{{font-size:1.05rem}}.paywall{{display:none}}</style>
</head><body class="page-article">
<div class="masthead"><a href="{o.base}/">南洋视点</a><span class="tagline">全球华人的视角</span></div>
<ul class="main-nav"><li><a href="{o.base}/">新闻</a></li><li><a href="{o.base}/">中国</a></li><li><a href="{o.base}/">国际</a></li><li><a href="{o.base}/">评论</a></li><li><a href="{o.base}/">财经</a></li></ul>
<div class="wrap"><div class="article-header"><span class="section-label">{e(a.section)}</span>
<h1 class="headline">{e(a.title)}</h1>{byline}
<div class="pub"><time datetime="{a.date.isoformat()}">发布 / {a.date:%Y年%m月%d日 %H:%M}</time></div></div>
{SHARE}
<div class="article-text">
{chr(10).join(body)}
</div>
{note}
<div class="paywall">订阅南洋视点，阅读全部内容</div>
<div class="read-more"><h3>延伸阅读</h3><ul>{li_links(others(a, pool, 3))}</ul></div>
<div class="sidebar"><h3>热读</h3><ol>{li_links(pool[-4:])}</ol><div class="ad">广告</div></div></div>
<footer class="site-footer">南洋视点 © 2025 新加坡 ｜ 隐私声明 ｜ 订阅</footer>
</body></html>
"""


def page_bian(a: Article, pool: list[Article]) -> str:
    o = a.outlet
    body = [f"<h3>{e(t)}</h3>" if k == "h" else f"<p>{e(t)}</p>" for k, t in a.paras]
    author = f'<p class="post-author">作者：{e(a.author)}</p>' if a.author else ""
    ts = f"{a.date.year}年{a.date.month}月{a.date.day}日 {a.date:%H:%M}"
    # No charset anywhere on this site, on purpose: the crawler must detect GB18030.
    return f"""<!DOCTYPE html>
<html><head>
<title>{e(a.title)} — 彼岸通讯</title>
<meta property="og:title" content="{e(a.title)}">
<link rel="canonical" href="{a.url}">
<style>.post-body{{max-width:42em;margin:auto}} h3{{margin-top:2em}}</style>
</head><body>
<div class="site-title"><a href="{o.base}/">彼岸通讯</a> · 写给离开的人</div>
<div class="menu"><a href="{o.base}/">首页</a> <a href="{o.base}/essays/">文章</a> <a href="{o.base}/essays/">沙龙活动</a> <a href="{o.base}/">订阅通讯</a></div>
<div class="post">
<h1 class="post-title">{e(a.title)}</h1>
{author}<p class="post-date">发布于 {ts} · {e(a.section)}</p>
<div class="post-body">
{chr(10).join(body)}
</div>
<div class="post-footer"><p>喜欢这篇文章？欢迎转发给需要的朋友，或者<a href="{o.base}/">订阅我们的通讯</a>。</p>
<p>（编辑：小舟）</p></div>
<div class="more"><h4>往期文章</h4><ul>{li_links(others(a, pool, 4))}</ul></div>
</div>
<div class="footer">彼岸通讯 · 东京 · 投稿邮箱 editor@bian-tongxun.test</div>
</body></html>
"""


# --------------------------------------------------------------------------- feeds, sitemaps, listings


def x(text: str) -> str:
    return html.escape(text, quote=False)


def rss(o: Outlet, arts: list[Article], link_suffix: str, path: str, desc: str, lang: str) -> str:
    items = []
    for a in sorted(arts, key=lambda a: a.date, reverse=True):
        creator = f"<dc:creator>{x(a.author)}</dc:creator>" if a.author else ""
        items.append(f"""<item><title>{x(a.title)}</title><link>{a.url}{link_suffix}</link>
<guid isPermaLink="false">{o.key}-{a.id}</guid><pubDate>{format_datetime(a.date)}</pubDate>
<category>{x(a.section)}</category>{creator}<description>{x(summary(a, 80))}</description></item>""")
    latest = max(a.date for a in arts)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
<channel><title>{x(o.name)}</title><link>{o.base}/</link><description>{x(desc)}</description>
<language>{lang}</language><lastBuildDate>{format_datetime(latest)}</lastBuildDate>
<atom:link href="{o.base}{path}" rel="self" type="application/rss+xml"/>
{chr(10).join(items)}
</channel></rss>
"""


def atom(o: Outlet, arts: list[Article]) -> str:
    entries = []
    for a in sorted(arts, key=lambda a: a.date, reverse=True):
        author = f"<author><name>{x(a.author)}</name></author>" if a.author else ""
        entries.append(f"""<entry><id>tag:xiangjiang-kuaixun.test,{a.date:%Y-%m-%d}:{a.id}</id><title>{x(a.title)}</title>
<link rel="alternate" type="text/html" href="{a.url}"/><published>{a.date.isoformat()}</published>
<updated>{(a.date + timedelta(hours=5, minutes=25)).isoformat()}</updated>{author}<summary>{x(summary(a, 80))}</summary></entry>""")
    latest = max(a.date for a in arts) + timedelta(hours=5, minutes=25)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-HK">
<title>香江快訊 - 日本</title><id>{o.base}/</id><updated>{latest.isoformat()}</updated>
<link rel="self" href="{o.base}/feed.atom"/><link rel="alternate" href="{o.base}/"/>
{chr(10).join(entries)}
</feed>
"""


def news_urlset(o: Outlet, arts: list[Article], lang: str) -> str:
    urls = []
    for a in sorted(arts, key=lambda a: a.date, reverse=True):
        urls.append(f"""<url><loc>{a.url}</loc><lastmod>{a.date.isoformat()}</lastmod><news:news>
<news:publication><news:name>{x(o.name)}</news:name><news:language>{lang}</news:language></news:publication>
<news:publication_date>{a.date.isoformat()}</news:publication_date><news:title>{x(a.title)}</news:title></news:news></url>""")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
{chr(10).join(urls)}
</urlset>
"""


def sitemap_index(locs: list[str]) -> str:
    items = "\n".join(f"<sitemap><loc>{loc}</loc></sitemap>" for loc in locs)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
{items}
</sitemapindex>
"""


def paginate(items: list, size: int) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def simple_page(title: str, inner: str, charset: str | None, lang: str = "zh-CN") -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head>{meta}<title>{e(title)}</title></head><body>
{inner}
</body></html>
"""


# --------------------------------------------------------------------------- writing


class Site:
    def __init__(self, outlet: Outlet) -> None:
        self.o = outlet
        self.dir = CORPUS / "web" / outlet.host
        self.files: dict[str, bytes] = {}

    def put(self, path: str, text: str, encoding: str | None = None, strict: str | None = None) -> None:
        """Encode and store a file. `strict` (the article's own title and body) must encode as is;
        anything else (other articles' titles in sidebars) falls back to numeric character references,
        as real GBK/Big5 sites do."""
        enc = encoding or self.o.charset
        try:
            (strict or "").encode(enc)
        except UnicodeEncodeError as exc:
            src = strict or ""
            sys.exit(f"{self.o.host}{path}: {src[exc.start : exc.end]!r} cannot be encoded as {enc}")
        data = text.encode(enc, errors="xmlcharrefreplace")
        rel = path.lstrip("/")
        if rel == "" or rel.endswith("/"):
            rel += "index.html"
        self.files[rel] = data

    def write(self) -> None:
        if self.dir.exists():
            shutil.rmtree(self.dir)
        for rel, data in self.files.items():
            p = self.dir / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(data)


def robots(o: Outlet, sitemaps: list[str]) -> str:
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /api/private/"]
    lines += [f"Sitemap: {o.base}{s}" for s in sitemaps]
    return "\n".join(lines) + "\n"


def listing_html(
    o: Outlet,
    title: str,
    items: list[Article],
    prev: str | None,
    nxt: str | None,
    charset: str | None,
    extra_items: str = "",
) -> str:
    lis = "".join(
        f'<li><a href="{a.url}">{e(a.title)}</a><span class="time">{a.date:%Y-%m-%d %H:%M}</span>'
        f'<p class="summary">{e(summary(a, 40))}</p></li>'
        for a in items
    )
    nav = ""
    if prev:
        nav += f'<a class="prev" rel="prev" href="{o.base}{prev}">上一页</a>'
    if nxt:
        nav += f'<a class="next" rel="next" href="{o.base}{nxt}">下一页</a>'
    lang = "zh-Hant" if o.lang == "zh-Hant" else "zh-CN"
    inner = (
        f'<div class="header"><a href="{o.base}/">{e(o.name)}</a></div><h1>{e(title)}</h1>'
        f'<ul class="news-list">{extra_items}{lis}</ul><div class="pager">{nav}</div>'
        f'<div class="footer">&copy; {e(o.name)}</div>'
    )
    return simple_page(f"{title} - {o.name}", inner, charset, lang)


def build_listing(
    site: Site,
    arts: list[Article],
    base: str,
    title: str,
    size: int,
    charset: str | None,
    extras: dict[int, str] | None = None,
) -> list[str]:
    """Paginated listing: base/index.html, base/index_2.html ... Returns the page paths."""
    pages = paginate(sorted(arts, key=lambda a: a.date, reverse=True), size)
    paths = [base if i == 0 else f"{base}index_{i + 1}.html" for i in range(len(pages))]
    for i, chunk in enumerate(pages):
        prev = paths[i - 1] if i > 0 else None
        nxt = paths[i + 1] if i + 1 < len(pages) else None
        site.put(paths[i], listing_html(site.o, title, chunk, prev, nxt, charset, (extras or {}).get(i, "")))
    return paths


def site_toml(o: Outlet, extra: str = "") -> str:
    head = f'charset = "{o.charset}"\nheader_charset = {"true" if o.header_charset else "false"}\n'
    return f"# {o.name} ({o.host}): fictional offline outlet, generated by corpus/build/build_web_zh.py\n{head}{extra}"


# --------------------------------------------------------------------------- per-outlet builds


def build_dongying(o: Outlet, arts: list[Article]) -> tuple[Site, str]:
    s = Site(o)
    for a in arts:
        s.put(a.path, page_dongying(a, arts), strict=a.title + a.body)
    s.put("/rss.xml", rss(o, arts, "?from=rss", "/rss.xml", "东瀛新报 日本华人社区新闻", "zh-cn"))
    pages = build_listing(s, arts, "/news/", "社区新闻", 6, "utf-8")
    latest = sorted(arts, key=lambda a: a.date, reverse=True)[:8]
    s.put(
        "/",
        simple_page(
            "东瀛新报 - 日本华文报",
            f'<h1>东瀛新报</h1><ul class="top">{li_links(latest)}</ul><a href="{o.base}/news/">更多新闻</a>',
            "utf-8",
        ),
    )
    s.put("/robots.txt", robots(o, []))
    s.put("/_site.toml", site_toml(o), "utf-8")
    src = f"""feeds = ["{o.base}/rss.xml"]

[[listings]]
url = "{o.base}/news/"
links = "ul.news-list a::attr(href)"
next = "a[rel=next]::attr(href)"
max_pages = {len(pages) + 1}
"""
    return s, src


# Query-lexicon term -> (result file, alternatives). The fictional portal search is fuzzy like real ones:
# a page matches when all words of one alternative occur in its title or body.
SEARCH_TERMS: dict[str, tuple[str, list[list[str]]]] = {
    "润日": ("runri", [["润日"], ["润", "日本"], ["移居", "日本"], ["移民", "日本"]]),
    "润去日本": ("runqu", [["润去日本"], ["润", "日本"]]),
    "移民日本": ("yimin", [["移民日本"], ["移民", "日本"]]),
    "经营管理签证": ("jingguan", [["经营管理签证"]]),
    "日本 华人 买房": ("empty", [["日本", "华人", "买房"]]),  # no hits: the empty result page
}
SEARCH_PAGE_SIZE = 4


def search_matches(alternatives: list[list[str]], arts: list[Article]) -> list[Article]:
    return [a for a in arts if any(all(w in a.title + a.body for w in alt) for alt in alternatives)]


def build_shenzhou(o: Outlet, arts: list[Article]) -> tuple[Site, str]:
    s = Site(o)
    paths_18030 = []
    for a in arts:
        cs = "gb18030" if a.key in GB18030_PAGES else "gbk"
        needs = any(ch.encode("gb18030") != ch.encode("gbk", errors="replace") for ch in a.title + a.body)
        assert needs == (cs == "gb18030"), (
            f"{a.key}: GB18030_PAGES must list exactly the pages with non-GBK text"
        )
        if cs == "gb18030":
            paths_18030.append(a.path)
        s.put(a.path, page_shenzhou(a, arts, cs), cs, strict=a.title + a.body)
    pages = build_listing(s, arts, "/roll/", "滚动新闻", 6, "gbk")
    latest = sorted(arts, key=lambda a: a.date, reverse=True)[:8]
    s.put(
        "/",
        simple_page(
            "神州网_新闻中心",
            f'<h1>神州网新闻中心</h1><ul>{li_links(latest)}</ul><a href="{o.base}/roll/">滚动新闻</a>',
            "gbk",
        ),
    )
    routes = []
    for term, (name, alternatives) in SEARCH_TERMS.items():
        hits = sorted(search_matches(alternatives, arts), key=lambda a: a.date, reverse=True)
        chunks = paginate(hits, SEARCH_PAGE_SIZE) or [[]]
        q = term.encode("gbk")
        qenc = quote_plus(q)
        for i, chunk in enumerate(chunks):
            file = f"search/{name}{'' if i == 0 else f'_p{i + 1}'}.html"
            lis = (
                "".join(
                    f'<div class="result"><h3><a href="{a.url}?from=search">{e(a.title)}</a></h3>'
                    f'<p>{e(summary(a, 50))}</p><span class="fgray">{a.date:%Y-%m-%d %H:%M}</span></div>'
                    for a in chunk
                )
                or '<p class="no-result">抱歉，没有找到与您的搜索相关的新闻。</p>'
            )
            nxt = (
                f'<a class="next" href="{o.base}/search?q={qenc}&amp;page={i + 2}">下一页</a>'
                if i + 1 < len(chunks)
                else ""
            )
            inner = (
                f'<div class="header"><a href="{o.base}/">神州网</a> 新闻搜索</div>'
                f'<form action="/search"><input name="q" value="{e(term)}"></form>'
                f'<p class="count">找到相关新闻{len(hits)}篇</p><div id="results">{lis}</div><div class="pager">{nxt}</div>'
            )
            s.put("/" + file, simple_page(f"{term}_神州网搜索", inner, "gbk"))
            query = f'{{ q = "{term}", page = "{i + 1}" }}' if i else f'{{ q = "{term}" }}'
            routes.append((i, f'[[route]]\npath = "/search"\nquery = {query}\nfile = "{file}"\n'))
    # pages > 1 first: a route matches when all *listed* params match, so {q} alone would also catch page=2.
    routes.sort(key=lambda r: -r[0])
    extra = "".join(f'\n[[path]]\nmatch = "{p}"\ncharset = "gb18030"\n' for p in paths_18030)
    extra += "\n# Search: q is GBK percent-encoded by the crawler (e.g. 润日 -> %C8%F3%C8%D5, space -> +);\n"
    extra += "# the server decodes it with this host's charset before comparing with these decoded values.\n"
    extra += "\n".join(r for _, r in routes)
    s.put("/_site.toml", site_toml(o, extra), "utf-8")
    s.put("/robots.txt", robots(o, []))
    src = f"""
[[listings]]
url = "{o.base}/roll/"
links = "ul.news-list a::attr(href)"
next = "a[rel=next]::attr(href)"
max_pages = {len(pages) + 1}

[[search]]
url = "{o.base}/search?q={{query}}"
encoding = "gbk"
languages = ["zh-Hans"]
links = "div.result h3 a::attr(href)"
next = "a.next::attr(href)"
max_pages = 2
"""
    return s, src


def build_baodao(o: Outlet, arts: list[Article]) -> tuple[Site, str]:
    s = Site(o)
    for a in arts:
        s.put(a.path, page_baodao(a, arts), strict=a.title + a.body)
    years = sorted({a.date.year for a in arts})
    for y in years:
        s.put(
            f"/sitemaps/news-{y}.xml", news_urlset(o, [a for a in arts if a.date.year == y], "zh-tw"), "utf-8"
        )
    s.put("/sitemap_index.xml", sitemap_index([f"{o.base}/sitemaps/news-{y}.xml" for y in years]), "utf-8")
    latest = sorted(arts, key=lambda a: a.date, reverse=True)[:8]
    s.put("/", simple_page("寶島日報", f"<h1>寶島日報</h1><ul>{li_links(latest)}</ul>", "big5", "zh-Hant"))
    s.put("/robots.txt", robots(o, ["/sitemap_index.xml"]))
    extra = '\n[[path]]\nmatch = "*.xml"\ncharset = "utf-8"\nheader_charset = true\n'
    s.put("/_site.toml", site_toml(o, extra), "utf-8")
    return s, f'sitemaps = ["{o.base}/sitemap_index.xml"]\n'


def build_xiangjiang(o: Outlet, arts: list[Article]) -> tuple[Site, str]:
    s = Site(o)
    for a in arts:
        s.put(a.path, page_xiangjiang(a, arts), strict=a.title + a.body)
    s.put("/feed.atom", atom(o, arts))
    pages = build_listing(s, arts, "/list/japan/", "日本新聞", 7, "utf-8")
    latest = sorted(arts, key=lambda a: a.date, reverse=True)[:8]
    s.put("/", simple_page("香江快訊", f"<h1>香江快訊</h1><ul>{li_links(latest)}</ul>", "utf-8", "zh-HK"))
    s.put("/robots.txt", robots(o, []))
    s.put("/_site.toml", site_toml(o), "utf-8")
    return (
        s,
        f"""feeds = ["{o.base}/feed.atom"]

[[listings]]
url = "{o.base}/list/japan/"
next = "a[rel=next]::attr(href)"
max_pages = {len(pages) + 1}
""",
    )


def build_nanyang(o: Outlet, arts: list[Article]) -> tuple[Site, str]:
    s = Site(o)
    for a in arts:
        s.put(a.path, page_nanyang(a, arts), strict=a.title + a.body)
    s.put("/rss/japan.xml", rss(o, arts, "", "/rss/japan.xml", "南洋视点 日本与华人", "zh-sg"))
    s.put("/sitemap-news.xml", news_urlset(o, arts, "zh-cn"))
    latest = sorted(arts, key=lambda a: a.date, reverse=True)[:8]
    s.put("/", simple_page("南洋视点", f"<h1>南洋视点</h1><ul>{li_links(latest)}</ul>", "utf-8"))
    s.put("/robots.txt", robots(o, ["/sitemap-news.xml"]))
    s.put("/_site.toml", site_toml(o), "utf-8")
    return s, f'feeds = ["{o.base}/rss/japan.xml"]\nsitemaps = ["{o.base}/sitemap-news.xml"]\n'


BIAN_500 = "/essays/690.html"  # a listed essay whose page errors
BIAN_REDIRECT = "/go/salon-2024"  # a short link (302) to an essay


def build_bian(o: Outlet, arts: list[Article]) -> tuple[Site, str]:
    s = Site(o)
    for a in arts:
        s.put(a.path, page_bian(a, arts), strict=a.title + a.body)
    target = next(a for a in arts if a.extra.get("x_redirect_target"))
    extras = {
        0: f'<li><a href="{o.base}{BIAN_500}">【沙龙回顾】在神保町读《流亡者的书架》</a><span class="time">2024-05-12 20:00</span></li>',
        1: f'<li><a href="{o.base}{BIAN_REDIRECT}">【短链】{e(target.title)}</a><span class="time">活动通知</span></li>',
    }
    pages = build_listing(s, arts, "/essays/", "全部文章", 6, None, extras)
    s.put(
        BIAN_500, simple_page("500 Internal Server Error", "<h1>服务器开小差了</h1><p>请稍后再试。</p>", None)
    )
    latest = sorted(arts, key=lambda a: a.date, reverse=True)[:6]
    s.put(
        "/",
        simple_page(
            "彼岸通讯",
            f"<h1>彼岸通讯</h1><p>写给离开的人</p><ul>{li_links(latest)}</ul>"
            f'<a href="{o.base}/essays/">全部文章</a>',
            None,
        ),
    )
    s.put("/robots.txt", robots(o, []))
    extra = (
        f'\n[[path]]\nmatch = "{BIAN_500}"\nstatus = 500\n'
        f'\n[[path]]\nmatch = "{BIAN_REDIRECT}"\nredirect = "{target.path}"\nredirect_status = 302\n'
    )
    # header_charset = false and no <meta charset>: GB18030 must be detected.
    s.put("/_site.toml", site_toml(o, extra), "utf-8")
    return (
        s,
        f"""
[[listings]]
url = "{o.base}/essays/"
links = "ul.news-list a::attr(href)"
next = "a[rel=next]::attr(href)"
max_pages = {len(pages) + 1}
""",
    )


BUILDERS = {
    "dongying": build_dongying,
    "shenzhou": build_shenzhou,
    "baodao": build_baodao,
    "xiangjiang": build_xiangjiang,
    "nanyang": build_nanyang,
    "bian": build_bian,
}

ARTICLE_URL = {
    "dongying": r"/article/\\d{6}/\\d+\\.html",
    "shenzhou": r"/a/\\d{8}/\\d+\\.html",
    "baodao": r"/news/\\d{8}/\\d+\\.html",
    "xiangjiang": r"/article/\\d{4}-\\d{2}-\\d{2}/\\d+\\.html",
    "nanyang": r"/(news|commentary)/story\\d{8}-\\d+\\.html",
    "bian": r"/essays/\\d+\\.html",
}


def source_file(o: Outlet, body: str) -> str:
    return f"""# Fictional offline outlet of the Chinese offline web (served from corpus/web/{o.host}/).
# Generated by corpus/build/build_web_zh.py: edit the generator, not this file.
id = "{o.source_id}"
name = "{o.name}"
language = "{o.lang}"
kind = "news"
homepage = "{o.base}/"
country = "{o.country}"
timezone = "{o.tz_name}"
verified = true
enabled = true
article_url = "{ARTICLE_URL[o.key]}"
{body}"""


def gold_line(a: Article) -> str:
    return json.dumps(
        {
            "url": a.url,
            "title": a.title,
            "published_at": a.date.isoformat(),
            "author": a.author,
            "lang": a.outlet.lang,
            "body": a.body,
            "relevant": a.relevant,
            "story": a.story,
            "dup_of": a.dup_of,
        },
        ensure_ascii=False,
    )


def load_all() -> dict[str, Article]:
    arts: dict[str, Article] = {}
    for key, o in OUTLETS.items():
        for a in parse_file(o, (ARTICLES / f"{key}.txt").read_text(encoding="utf-8")):
            assert a.key not in arts, a.key
            assign_path(a)
            arts[a.key] = a
    resolve_copies(arts)
    stories = {s["id"] for s in tomllib.loads((CORPUS / "gold" / "stories.toml").read_text())["story"]}
    for a in arts.values():
        assert a.story in stories | {"none"}, f"{a.key}: unknown story {a.story}"
    return arts


def main() -> None:
    arts = load_all()
    for key, o in OUTLETS.items():
        mine = sorted((a for a in arts.values() if a.outlet is o), key=lambda a: a.date)
        site, src_body = BUILDERS[key](o, mine)
        site.write()
        gold = CORPUS / "gold" / "extraction" / f"{o.host}.jsonl"
        gold.parent.mkdir(parents=True, exist_ok=True)
        gold.write_text("".join(gold_line(a) + "\n" for a in mine), encoding="utf-8")
        src = CORPUS / "sources" / "offline" / f"{o.source_id}.toml"
        src.parent.mkdir(parents=True, exist_ok=True)
        src.write_text(source_file(o, src_body), encoding="utf-8")
        print(f"{o.host}: {len(mine)} articles, {len(site.files)} files")


if __name__ == "__main__" and "--check" not in sys.argv:
    main()


# --------------------------------------------------------------------------- self-check (python build_web_zh.py --check)

BODY_CSS = {
    "dongying": "div.article-content",
    "shenzhou": "div#artibody",
    "baodao": "div.story",
    "xiangjiang": "section.article-body",
    "nanyang": "div.article-text",
    "bian": "div.post-body",
}
SKIP_CLASSES = {"subtitle"}  # paragraph classes that still are body (subheadings)


def _site_conf(host_dir: Path) -> dict:
    return tomllib.loads((host_dir / "_site.toml").read_text(encoding="utf-8"))


def check() -> list[str]:
    """Re-read the written bytes and verify encodings, XML, gold/page agreement and link coverage."""
    import opencc
    from lxml import etree
    from lxml import html as lhtml

    problems: list[str] = []
    s2t = opencc.OpenCC("s2t").convert
    for key, o in OUTLETS.items():
        d = CORPUS / "web" / o.host
        conf = _site_conf(d)
        gold = [
            json.loads(line)
            for line in (CORPUS / "gold" / "extraction" / f"{o.host}.jsonl").open(encoding="utf-8")
        ]
        linked: set[str] = set()
        for f in sorted(d.rglob("*")):
            if f.is_dir() or f.name == "_site.toml":
                continue
            raw = f.read_bytes()
            rel = "/" + f.relative_to(d).as_posix()
            if f.suffix in (".xml", ".atom"):
                root = etree.fromstring(raw)  # raises on malformed XML
                for el in root.iter():
                    if el.tag in ("{http://www.sitemaps.org/schemas/sitemap/0.9}loc", "link"):
                        if el.text:
                            linked.add(el.text.split("?")[0])
                    if el.tag == "{http://www.w3.org/2005/Atom}link" and el.get("rel") == "alternate":
                        linked.add(el.get("href").split("?")[0])
                continue
            enc = o.charset
            for rule in conf.get("path", []):
                if rule.get("match") == rel and "charset" in rule:
                    enc = rule["charset"]
            try:
                text = raw.decode(enc)
            except UnicodeDecodeError as exc:
                problems.append(f"{o.host}{rel}: not {enc}: {exc}")
                continue
            if key == "bian" and "charset" in text.lower():
                problems.append(f"{o.host}{rel}: charset must not be declared")
            if f.suffix == ".html":
                doc = lhtml.fromstring(text)
                if rel.endswith("index.html") or "index_" in rel or rel.startswith("/search"):
                    linked.update(h.split("?")[0] for h in doc.xpath("//ul[@class='news-list']//a/@href"))
                    linked.update(h.split("?")[0] for h in doc.xpath("//div[@class='result']//a/@href"))
        for g in gold:
            path = g["url"].removeprefix(o.base)
            page = (d / path.lstrip("/")).read_bytes()
            enc = next(
                (r["charset"] for r in conf.get("path", []) if r.get("match") == path and "charset" in r),
                o.charset,
            )
            doc = lhtml.fromstring(page.decode(enc))
            box = doc.cssselect(BODY_CSS[key])[0]
            paras = [
                el.text_content().strip()
                for el in box
                if el.tag in ("p", "h2", "h3") and not (set(el.get("class", "").split()) - SKIP_CLASSES)
            ]
            if "\n".join(paras) != g["body"]:
                problems.append(f"{g['url']}: body in page differs from gold")
            if doc.cssselect("h1")[0].text_content().strip() != g["title"]:
                problems.append(f"{g['url']}: h1 differs from gold title")
            if not 300 <= len(g["body"]) <= 1500:
                problems.append(f"{g['url']}: body length {len(g['body'])}")
            if g["url"] not in linked:
                problems.append(f"{g['url']}: not in any feed/sitemap/listing")
            if o.charset == "big5":
                # Big5 decoders disagree on a few code points (e.g. A241: U+FF0F or U+2215); keep them out of gold.
                text = g["title"] + g["body"]
                for alt in ("cp950", "big5hkscs"):
                    if text.encode("big5").decode(alt) != text:
                        problems.append(f"{g['url']}: gold text decodes differently as {alt}")
            if o.lang == "zh-Hant":
                left = {c for c in g["title"] + g["body"] if s2t(c) != c and c not in "台群恒晒雇占"}
                if left:
                    problems.append(f"{g['url']}: simplified characters {''.join(sorted(left))}")
    return problems


if __name__ == "__main__" and "--check" in sys.argv:
    issues = check()
    print("\n".join(issues) or "check: all good")
    sys.exit(1 if issues else 0)
