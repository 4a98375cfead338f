import pytest

from nlp.lang import detect


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("潤日の富裕層", "ja"),
        ("タワマン", "ja"),
        ("経営管理ビザ申請急増", "ja"),  # pure Han with shinjitai 経 営
        ("中国富裕層東京移住加速", "ja"),
        ("岸田首相訪米", "ja"),
        ("東京都知事選挙", "ja"),
        ("东京塔楼公寓价格上涨", "zh-Hans"),
        ("上海封城后我决定润了", "zh-Hans"),
        ("润日", "zh-Hans"),
        ("东京房价", "zh-Hans"),
        ("我の日常是真的好", "zh-Hans"),  # の used as 的 in Chinese social media
        ("東京塔樓公寓價格上漲", "zh-Hant"),
        ("日本經營管理簽證門檻提高", "zh-Hant"),
        ("國民黨", "zh-Hant"),
        ("台灣人移居日本", "zh-Hant"),
        ("hello world, nothing here", "other"),
        ("", "other"),
    ],
)
def test_detect(text, lang):
    assert detect(text) == lang


def test_hint_breaks_ties_only():
    assert detect("", hint="ja") == "ja"
    assert detect("东京房价", hint="ja") == "zh-Hans"
