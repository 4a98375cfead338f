"""Generic article extraction on hand-made pages shaped like real news sites (one field per test)."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

from crawler.extraction.article import ExtractOptions, clean_text, extract_article

P1 = "上海のロックダウンを機に、中国の富裕層が東京へ移り住む動きが広がっている。中国語のネットでは「潤日」と呼ばれる。"
P2 = "江東区豊洲のタワーマンションでは、中国語の看板を掲げた不動産仲介会社が目立つようになった。"
P3 = "多くは経営・管理ビザを取得し、資本金500万円で会社を設立して家族を呼び寄せる。"


def portal_page(head: str = "", byline: str = "", extra_body: str = "") -> str:
    """No 'article-body' class anywhere: the densest block must be found."""
    return f"""<html lang="ja"><head><title>中国富裕層、湾岸のタワマンへ - 例示ニュース</title>{head}</head><body>
<div id="top"><h1 class="logo">例示ニュース</h1><ul class="gnav"><li><a href="/">トップ</a></li><li><a href="/n">国内</a></li></ul></div>
<div id="wrap"><div id="left">
<h1>中国富裕層、湾岸のタワマンへ</h1>{byline}
<div class="txt"><p>{P1}</p>
<p>{P2}</p><div class="ad-slot">スポンサーリンク</div>
<p>{P3}</p>{extra_body}</div>
<div class="sns"><a href="#">ツイート</a><a href="#">シェア</a></div>
<div id="comments"><h3>コメント</h3><p>これは読者のコメントで本文ではありません。長めに書いておきます。本当に長いコメントです。</p></div>
</div>
<div id="right"><h3>アクセスランキング</h3><ol><li><a href="/1">別の記事一</a></li><li><a href="/2">別の記事二</a></li></ol></div></div>
<div id="foot">(C) 例示ニュース All rights reserved.</div></body></html>"""


def test_body_is_main_text_only():
    art = extract_article(portal_page(), "https://www.example.jp/n/1")
    assert art.body.split("\n") == [P1, P2, P3]


def test_title_from_h1_confirmed_by_title_tag():
    assert extract_article(portal_page(), "https://www.example.jp/n/1").title == "中国富裕層、湾岸のタワマンへ"


def test_title_from_title_tag_without_site_suffix():
    html = "<html><head><title>潤日の実態 | 例示ニュース</title></head><body><p>" + P1 * 3 + "</p></body></html>"
    assert extract_article(html, "https://www.example.jp/n/2").title == "潤日の実態"


def test_title_and_date_from_json_ld():
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "润日：新中产的东京生活",
          "datePublished": "2024-02-01T08:00:00+08:00", "author": [{"@type": "Person", "name": "王明"}]}
    html = (f'<html><head><script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script></head>'
            f"<body><h1>示例网</h1><div><p>{'越来越多的中产家庭选择移民日本。' * 6}</p></div></body></html>")
    art = extract_article(html, "https://news.example.cn/a/1.html")
    assert art.title == "润日：新中产的东京生活"
    assert art.published_at == "2024-02-01T00:00:00+00:00"
    assert art.author == "王明"
    assert art.lang == "zh-Hans"


def test_visible_date_in_source_timezone():
    byline = '<div class="date">2023年4月1日 10時30分</div>'
    art = extract_article(portal_page(byline=byline), "https://www.example.jp/n/1")
    assert art.published_at == "2023-04-01T01:30:00+00:00"  # JST for .jp


def test_relative_date_with_frozen_now():
    byline = '<span class="time">3時間前</span>'
    now = datetime(2024, 5, 1, 12, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    art = extract_article(portal_page(byline=byline), "https://www.example.jp/n/1", ExtractOptions(now=now))
    assert art.published_at == "2024-05-01T00:00:00+00:00"


def test_meta_published_time_wins_over_visible_text():
    head = '<meta property="article:published_time" content="2023-04-01T09:00:00+09:00">'
    art = extract_article(portal_page(head=head, byline='<div class="date">2020年1月1日</div>'), "https://www.example.jp/n/1")
    assert art.published_at == "2023-04-01T00:00:00+00:00"


def test_author_from_byline_prefix_stripped():
    art = extract_article(portal_page(byline='<p class="byline">（記者：山田 太郎）</p>'), "https://www.example.jp/n/1")
    assert art.author == "山田 太郎"


def test_editor_credit_is_not_author():
    html = portal_page(extra_body='<p class="show_author">责任编辑：刘洋</p>')
    assert extract_article(html, "https://www.example.jp/n/1").author is None


def test_br_separated_paragraphs():
    html = f"<html><body><div class='main'><div>{P1}<br><br>{P2}<br>{P3}</div><p>{P1}</p></div></body></html>"
    art = extract_article(html, "https://www.example.jp/n/3")
    assert P2 in art.body.split("\n")


def test_selectors_override_generic_extraction():
    opts = ExtractOptions(selectors={"title": "div.txt p::text", "body": "div.txt > p", "author": "h1.logo::text"})
    art = extract_article(portal_page(), "https://www.example.jp/n/1", opts)
    assert art.title == P1
    assert art.body.split("\n") == [P1, P2, P3]
    assert art.author == "例示ニュース"


def test_canonical_link_and_tracking_params():
    head = '<link rel="canonical" href="https://www.example.jp/n/1">'
    art = extract_article(portal_page(head=head), "https://www.example.jp/n/1/amp?utm_source=x")
    assert art.canonical_url == "https://www.example.jp/n/1"


def test_clean_text_joins_wrapped_cjk_lines_and_keeps_headline_space():
    assert clean_text("中国の\n  富裕層") == "中国の富裕層"
    assert clean_text("見出し\u3000副題") == "見出し\u3000副題"
    assert clean_text("Tokyo \n Osaka") == "Tokyo Osaka"


def test_broken_html_never_raises():
    art = extract_article("<html><body><p>途中で切れた", "https://www.example.jp/n/4")
    assert art.canonical_url == "https://www.example.jp/n/4"
    assert extract_article("", "https://www.example.jp/n/5").title == ""


def test_weak_boilerplate_class_with_prose_is_kept():
    html = (f"<html><body><nav><a href='/'>トップ</a></nav><div class='article-info'><h1>見出し</h1>"
            f"<p>{P1}</p><p>{P2}</p><p>{P3}</p><p>{P1}</p><p>{P2}</p></div>"
            "<div class='related'><p>関連する別の記事の紹介文がここに長々と入ります。</p></div></body></html>")
    art = extract_article(html, "https://www.example.jp/n/6")
    assert art.body.split("\n")[:3] == [P1, P2, P3]
    assert "関連する別の記事" not in art.body


def test_page_without_paragraph_markup_still_has_a_body():
    text = "<br>".join([P1, P2, P3])
    html = f"<html><body><div id='menu'><a href='/'>トップ</a></div><div class='honbun'>{text}</div></body></html>"
    art = extract_article(html, "https://www.example.jp/n/7")
    for para in (P1, P2, P3):
        assert para in art.body
