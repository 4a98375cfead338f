"""Write corpus/sources/*.toml: the registry of real outlets and aggregators.

URL patterns are written from memory of each site's public feeds / sitemaps / search pages and
are NOT checked here (no internet on the build machines): every file says `verified = false`
until someone confirms it online (then edit the file by hand and set `verified = true`).

    python corpus/build/build_sources_registry.py
"""

from __future__ import annotations

import json
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "sources"

# id, name, language, kind, country, timezone, homepage, article_url, feeds, sitemaps, search[(url, encoding)], listings
R = [
    ("ja_nhk", "NHK NEWS WEB", "ja", "news", "JP", "Asia/Tokyo", "https://www3.nhk.or.jp/news/",
     r"/news/html/\d{8}/k\d+", ["https://www3.nhk.or.jp/rss/news/cat0.xml", "https://www3.nhk.or.jp/rss/news/cat1.xml",
                                 "https://www3.nhk.or.jp/rss/news/cat4.xml", "https://www3.nhk.or.jp/rss/news/cat6.xml"], [], [], []),
    ("ja_asahi", "朝日新聞デジタル", "ja", "news", "JP", "Asia/Tokyo", "https://www.asahi.com/",
     r"/articles/[A-Z0-9]+\.html", ["https://www.asahi.com/rss/asahi/newsheadlines.rdf"], [],
     [("https://sitesearch.asahi.com/sitesearch/?Keywords={query}", "utf-8")], []),
    ("ja_yomiuri", "読売新聞オンライン", "ja", "news", "JP", "Asia/Tokyo", "https://www.yomiuri.co.jp/",
     r"/\w+/(\w+/)?\d{8}-OYT\w+/", [], ["https://www.yomiuri.co.jp/sitemap-news.xml"], [],
     [("https://www.yomiuri.co.jp/national/", None)]),
    ("ja_mainichi", "毎日新聞", "ja", "news", "JP", "Asia/Tokyo", "https://mainichi.jp/",
     r"/articles/\d{8}/\w+/\d{2}/\d{3}/\d{3}\d*c", ["https://mainichi.jp/rss/etc/mainichi-flash.rss"], [],
     [("https://mainichi.jp/search?q={query}", "utf-8")], []),
    ("ja_nikkei", "日本経済新聞", "ja", "news", "JP", "Asia/Tokyo", "https://www.nikkei.com/",
     r"/article/DG\w+", [], [], [("https://www.nikkei.com/search?keyword={query}", "utf-8")],
     [("https://www.nikkei.com/news/category/", None)]),
    ("ja_sankei", "産経新聞", "ja", "news", "JP", "Asia/Tokyo", "https://www.sankei.com/",
     r"/article/\d{8}-\w+/", ["https://www.sankei.com/arc/outboundfeeds/rss/?outputType=xml"],
     ["https://www.sankei.com/arc/outboundfeeds/sitemap-news/?outputType=xml"], [], []),
    ("ja_jiji", "時事ドットコム", "ja", "news", "JP", "Asia/Tokyo", "https://www.jiji.com/",
     r"/jc/article\?k=\d+", ["https://www.jiji.com/rss/ranking.rdf"], [], [], []),
    ("ja_kyodo", "共同通信", "ja", "news", "JP", "Asia/Tokyo", "https://www.kyodo.co.jp/",
     r"/news/\d{4}/\d{2}/", [], [], [], [("https://www.47news.jp/news", None)]),
    ("ja_tbs_newsdig", "TBS NEWS DIG", "ja", "news", "JP", "Asia/Tokyo", "https://newsdig.tbs.co.jp/",
     r"/articles/-/\d+", ["https://newsdig.tbs.co.jp/list/feed/rss"], [], [], []),
    ("ja_toyokeizai", "東洋経済オンライン", "ja", "news", "JP", "Asia/Tokyo", "https://toyokeizai.net/",
     r"/articles/-/\d+", ["https://toyokeizai.net/list/feed/rss"], [], [("https://toyokeizai.net/search?fulltext={query}", "utf-8")], []),
    ("ja_diamond", "ダイヤモンド・オンライン", "ja", "news", "JP", "Asia/Tokyo", "https://diamond.jp/",
     r"/articles/-/\d+", ["https://diamond.jp/list/feed/rss/dol"], [], [], []),
    ("ja_president", "PRESIDENT Online", "ja", "news", "JP", "Asia/Tokyo", "https://president.jp/",
     r"/articles/-/\d+", ["https://president.jp/list/rss"], [], [], []),
    ("ja_gendai", "現代ビジネス", "ja", "news", "JP", "Asia/Tokyo", "https://gendai.media/",
     r"/articles/-/\d+", ["https://gendai.media/list/feed/rss"], [], [], []),
    ("ja_newsweekjapan", "ニューズウィーク日本版", "ja", "news", "JP", "Asia/Tokyo", "https://www.newsweekjapan.jp/",
     r"/\w+/\d{4}/\d{2}/", ["https://www.newsweekjapan.jp/story/rss.xml"], [], [], []),
    ("ja_nippon_com", "nippon.com（日本語）", "ja", "news", "JP", "Asia/Tokyo", "https://www.nippon.com/ja/",
     r"/ja/\w+/\w+/", ["https://www.nippon.com/ja/rss/"], [], [], []),
    ("ja_yahoo_news", "Yahoo!ニュース（検索）", "ja", "aggregator", "JP", "Asia/Tokyo", "https://news.yahoo.co.jp/",
     r"/(articles|pickup)/\w+", ["https://news.yahoo.co.jp/rss/topics/top-picks.xml"], [],
     [("https://news.yahoo.co.jp/search?p={query}&ei=utf-8", "utf-8")], []),
    ("ja_google_news", "Google ニュース（日本語・検索RSS）", "ja", "aggregator", "JP", "Asia/Tokyo",
     "https://news.google.com/", None, [], [],
     [("https://news.google.com/rss/search?q={query}&hl=ja&gl=JP&ceid=JP:ja", "utf-8")], []),
    # Chinese-language media in Japan
    ("zh_chubun", "中文导报", "zh-Hans", "news", "JP", "Asia/Tokyo", "https://www.chubun.com/",
     r"/(article|\?p=)\d*", ["https://www.chubun.com/feed/"], [], [("https://www.chubun.com/?s={query}", "utf-8")], []),
    ("zh_jnocnews", "日本新华侨报网", "zh-Hans", "news", "JP", "Asia/Tokyo", "http://www.jnocnews.jp/",
     r"/news/show\.aspx\?id=\d+", [], [], [], [("http://www.jnocnews.jp/news/", None)]),
    ("zh_nippon_com_cn", "nippon.com（简体中文）", "zh-Hans", "news", "JP", "Asia/Tokyo", "https://www.nippon.com/cn/",
     r"/cn/\w+/\w+/", ["https://www.nippon.com/cn/rss/"], [], [], []),
    ("zh_nippon_com_hk", "nippon.com（繁體中文）", "zh-Hant", "news", "JP", "Asia/Tokyo", "https://www.nippon.com/hk/",
     r"/hk/\w+/\w+/", ["https://www.nippon.com/hk/rss/"], [], [], []),
    ("zh_nikkei_cn", "日经中文网", "zh-Hans", "news", "JP", "Asia/Tokyo", "https://cn.nikkei.com/",
     r"/\w+/\w+/\d+-\d{8}\.html", ["https://cn.nikkei.com/rss.html"], [], [], []),
    ("zh_nhk_world_zh", "NHK WORLD 中文", "zh-Hans", "news", "JP", "Asia/Tokyo", "https://www3.nhk.or.jp/nhkworld/zh/news/",
     r"/nhkworld/zh/news/\d+/", [], [], [], [("https://www3.nhk.or.jp/nhkworld/zh/news/", None)]),
    # overseas and Singapore / Taiwan / Hong Kong
    ("zh_zaobao", "联合早报", "zh-Hans", "news", "SG", "Asia/Singapore", "https://www.zaobao.com.sg/",
     r"/(news|realtime)/[\w-]+/story\d{8}-\d+", [], ["https://www.zaobao.com.sg/sitemap.xml"],
     [("https://www.zaobao.com.sg/search?q={query}", "utf-8")], []),
    ("zh_bbc_zhongwen", "BBC News 中文", "zh-Hans", "news", "GB", "Europe/London", "https://www.bbc.com/zhongwen/simp",
     r"/zhongwen/(simp|trad)/[\w-]+-\d+", ["https://feeds.bbci.co.uk/zhongwen/simp/rss.xml"], [], [], []),
    ("zh_voa_chinese", "美国之音中文网", "zh-Hans", "news", "US", "America/New_York", "https://www.voachinese.com/",
     r"/a/[\w-]+/\d+\.html", ["https://www.voachinese.com/api/zm_yqe_pvq"], [], [], []),
    ("zh_rfi_cn", "法广中文", "zh-Hans", "news", "FR", "Europe/Paris", "https://www.rfi.fr/cn/",
     r"/cn/[\w%-]+/\d{8}-", ["https://www.rfi.fr/cn/rss"], [], [], []),
    ("zh_dw_chinese", "德国之声中文网", "zh-Hans", "news", "DE", "Europe/Berlin", "https://www.dw.com/zh/",
     r"/zh/[^/]+/a-\d+", ["https://rss.dw.com/rdf/rss-chi-all"], [], [], []),
    ("zh_nytimes_cn", "纽约时报中文网", "zh-Hans", "news", "US", "America/New_York", "https://cn.nytimes.com/",
     r"/\w+/\d{8}/[\w-]+/", ["https://cn.nytimes.com/rss/"], [], [], []),
    ("zh_cna", "中央社", "zh-Hant", "news", "TW", "Asia/Taipei", "https://www.cna.com.tw/",
     r"/news/\w+/\d+\.aspx", ["https://feeds.feedburner.com/rsscna/intworld"], [],
     [("https://www.cna.com.tw/search/hysearchws.aspx?q={query}", "utf-8")], []),
    ("zh_ltn", "自由時報電子報", "zh-Hant", "news", "TW", "Asia/Taipei", "https://news.ltn.com.tw/",
     r"/news/\w+/\w+/\d+", ["https://news.ltn.com.tw/rss/world.xml"], [], [], []),
    ("zh_udn", "聯合新聞網", "zh-Hant", "news", "TW", "Asia/Taipei", "https://udn.com/",
     r"/news/story/\d+/\d+", ["https://udn.com/rssfeed/news/2/6809?ch=news"], [],
     [("https://udn.com/search/word/2/{query}", "utf-8")], []),
    ("zh_mingpao", "明報新聞網", "zh-Hant", "news", "HK", "Asia/Hong_Kong", "https://news.mingpao.com/",
     r"/(pns|ins)/.+/article/\d{8}/", ["https://news.mingpao.com/rss/ins/s00005.xml"], [], [], []),
    ("zh_hk01", "香港01", "zh-Hant", "news", "HK", "Asia/Hong_Kong", "https://www.hk01.com/",
     r"/[^/]+/\d+/", [], ["https://www.hk01.com/sitemap.xml"], [], []),
    # mainland portals
    ("zh_thepaper", "澎湃新闻", "zh-Hans", "news", "CN", "Asia/Shanghai", "https://www.thepaper.cn/",
     r"/newsDetail_forward_\d+", [], [], [], [("https://www.thepaper.cn/channel_25429", None)]),
    ("zh_chinanews", "中国新闻网", "zh-Hans", "news", "CN", "Asia/Shanghai", "https://www.chinanews.com.cn/",
     r"/\w+/\d{4}/\d{2}-\d{2}/\d+\.shtml", ["https://www.chinanews.com.cn/rss/world.xml",
                                           "https://www.chinanews.com.cn/rss/hr.xml"], [], [], []),
    ("zh_huanqiu", "环球网", "zh-Hans", "news", "CN", "Asia/Shanghai", "https://world.huanqiu.com/",
     r"/article/\w+", [], [], [], [("https://world.huanqiu.com/", None)]),
    ("zh_sina_news", "新浪新闻（搜索）", "zh-Hans", "aggregator", "CN", "Asia/Shanghai", "https://news.sina.com.cn/",
     r"/\w/\d{4}-\d{2}-\d{2}/doc-\w+\.shtml", [], [],
     [("https://search.sina.com.cn/news?q={query}&c=news&sort=time", "utf-8")], []),
    ("zh_baidu_news", "百度新闻（搜索）", "zh-Hans", "aggregator", "CN", "Asia/Shanghai", "https://news.baidu.com/",
     None, [], [], [("https://www.baidu.com/s?tn=news&rtt=4&word={query}", "utf-8")], []),
    ("zh_google_news_hans", "Google 新闻（简体·搜索RSS）", "zh-Hans", "aggregator", "CN", "Asia/Shanghai",
     "https://news.google.com/", None, [], [],
     [("https://news.google.com/rss/search?q={query}&hl=zh-CN&gl=CN&ceid=CN:zh-Hans", "utf-8")], []),
    ("zh_google_news_hant", "Google 新聞（繁體·搜尋RSS）", "zh-Hant", "aggregator", "TW", "Asia/Taipei",
     "https://news.google.com/", None, [], [],
     [("https://news.google.com/rss/search?q={query}&hl=zh-TW&gl=TW&ceid=TW:zh-Hant", "utf-8")], []),
]


def q(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for sid, name, lang, kind, country, tz, home, article_url, feeds, sitemaps, search, listings in R:
        lines = ["# Real outlet: URL patterns as best known, not checked online (verified = false).",
                 f"id = {q(sid)}", f"name = {q(name)}", f"language = {q(lang)}", f"kind = {q(kind)}",
                 f"homepage = {q(home)}", f"country = {q(country)}", f"timezone = {q(tz)}",
                 "verified = false", "enabled = true"]
        if article_url:
            lines.append(f"article_url = {q(article_url)}")
        lines.append("feeds = [" + ", ".join(q(f) for f in feeds) + "]")
        lines.append("sitemaps = [" + ", ".join(q(s) for s in sitemaps) + "]")
        for url, links in listings:
            lines += ["", "[[listings]]", f"url = {q(url)}"]
            if links:
                lines.append(f"links = {q(links)}")
            lines.append("max_pages = 1")
        for url, enc in search:
            lines += ["", "[[search]]", f"url = {q(url)}", f"encoding = {q(enc)}", "max_pages = 1"]
        (OUT / f"{sid}.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(R)} source files written to {OUT}")


if __name__ == "__main__":
    main()
