"""Decoding: header -> meta -> detection, with mojibake checks (raw bytes, never re-encoded)."""

from __future__ import annotations

import pytest

from crawler.extraction import extract_document
from crawler.extraction.encoding import decode_html, mojibake_score, normalize_charset
from tests.conftest import FIXTURE_WEB

JA = "<html><body><p>中国の富裕層が東京へ移住する動きが広がっている。経営・管理ビザを取得し、タワーマンションを買う。</p></body></html>"
ZH = "<html><body><p>越来越多的中产家庭选择移民日本，他们通过经营管理签证在东京定居，购买塔楼公寓。</p></body></html>"
TW = "<html><body><p>越來越多的中產家庭選擇移民日本，他們透過經營管理簽證在東京定居，購買高樓公寓。</p></body></html>"
CASES = [(JA, "shift_jis"), (JA, "euc-jp"), (JA, "utf-8"), (ZH, "gbk"), (ZH, "gb18030"), (ZH, "utf-8"),
         (TW, "big5"), (TW, "utf-8")]


@pytest.mark.parametrize("text,enc", CASES)
@pytest.mark.parametrize("declared", [None, "same", "utf-8", "shift_jis", "gbk", "big5", "euc-jp"])
def test_decodes_without_mojibake_whatever_is_declared(text, enc, declared):
    body = text.encode(enc)
    out, codec = decode_html(body, enc if declared == "same" else declared)
    assert out == text, codec


def test_meta_charset_used_when_header_missing():
    body = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=EUC-JP"></head>' + JA[6:])
    out, codec = decode_html(body.encode("euc-jp"))
    assert codec == "euc_jp" and "経営・管理ビザ" in out


def test_aliases_use_superset_codecs():
    assert normalize_charset("Shift_JIS") == "cp932"
    assert normalize_charset("GB2312") == "gb18030"
    assert normalize_charset("x-unknown") is None


def test_mojibake_score_flags_wrong_decoding():
    assert mojibake_score(JA, "utf-8") < 0.05
    wrong = JA.encode("cp932").decode("latin-1")
    assert mojibake_score(wrong, "latin-1") > 0.5


@pytest.mark.parametrize("host,header,codec,title", [
    ("sjis", "shift_jis", "cp932", "潤日と経営・管理ビザ"),
    ("eucjp", None, "euc_jp", "潤日と経営・管理ビザ"),
    ("gbk", None, "gb18030", "润日：中产家庭的新选择"),  # no header, no meta
    ("gb18030", "gb18030", "gb18030", "润日：中产家庭的新选择"),
    ("big5", "utf-8", "big5hkscs", "潤日：中產家庭的新選擇"),  # wrong header and meta
])
def test_fixture_pages_decode(host, header, codec, title):
    body = (FIXTURE_WEB / f"{host}.fixture.test" / "a.html").read_bytes()
    article, used = extract_document(body, f"http://{host}.fixture.test/a.html", header)
    assert used == codec
    assert article.title == title
    assert "\ufffd" not in article.body
