from __future__ import annotations

import pytest

from crawler.platforms.common import (
    AuthorPolicy,
    guess_lang,
    html_to_text,
    int_or_zero,
    offline_url,
)


def test_author_hash_is_stable_and_salted() -> None:
    a = AuthorPolicy(salt="s1")
    assert a.author("weibo", "润日日记") == a.author("weibo", "润日日记")
    assert a.author("weibo", "润日日记").startswith("h:")
    assert "润日日记" not in a.author("weibo", "润日日记")
    assert a.author("weibo", "润日日记") != AuthorPolicy(salt="s2").author("weibo", "润日日记")
    assert a.author("weibo", "x") != a.author("bilibili", "x")  # same handle, other platform: other person
    assert a.author("weibo", None) is None


def test_keep_handles_keeps_raw_handle() -> None:
    assert AuthorPolicy(keep_handles=True).author("5ch", "Xk3pQ9aZ0") == "Xk3pQ9aZ0"


@pytest.mark.parametrize("value, keep", [("1", True), ("true", True), ("", False), ("0", False)])
def test_policy_from_env(value: str, keep: bool) -> None:
    policy = AuthorPolicy.from_env({"RUNRI_KEEP_HANDLES": value, "RUNRI_AUTHOR_SALT": "abc"})
    assert policy.keep_handles is keep
    assert policy.salt == "abc"


def test_offline_url_switches_scheme_only_offline() -> None:
    assert offline_url("https://m.weibo.cn/api?q=1", True) == "http://m.weibo.cn/api?q=1"
    assert offline_url("https://m.weibo.cn/api?q=1", False) == "https://m.weibo.cn/api?q=1"
    assert offline_url("http://x.test/", True) == "http://x.test/"


def test_html_to_text_keeps_emoticon_alt_and_lines() -> None:
    html = '笑死<span class="url-icon"><img alt="[允悲]" src="a.png"></span><br />第二行 &amp; <a href="/x">#润日#</a>'
    assert html_to_text(html) == "笑死[允悲]\n第二行 & #润日#"
    assert html_to_text("<p>一段</p><p>二段</p>") == "一段\n二段"


def test_int_or_zero_reads_chinese_units() -> None:
    assert int_or_zero("1.2万") == 12000
    assert int_or_zero("3,456") == 3456
    assert int_or_zero(None) == 0
    assert int_or_zero("--") == 0


def test_guess_lang_kana_means_japanese() -> None:
    assert guess_lang("潤日ってなに", "zh-Hans") == "ja"
    assert guess_lang("润日第三年", "ja") == "ja"  # no kana: the platform default decides
    assert guess_lang("润日第三年", "zh-Hans") == "zh-Hans"
