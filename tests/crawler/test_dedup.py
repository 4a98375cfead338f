from __future__ import annotations

from crawler.extraction.dedup import DedupIndex, content_hash

ORIGINAL = ("上海封城之后，越来越多的中产家庭选择移民日本，网上把这股潮流称为润日。他们大多通过经营管理签证赴日，"
            "在东京开设公司，并为孩子寻找国际学校。不少人在丰洲一带买下塔楼公寓，周末去神保町的中文书店参加读书会。")
TRADITIONAL = ("上海封城之後，越來越多的中產家庭選擇移民日本，網上把這股潮流稱為潤日。他們大多通過經營管理簽證赴日，"
               "在東京開設公司，並為孩子尋找國際學校。不少人在豐洲一帶買下塔樓公寓，週末去神保町的中文書店參加讀書會。")
OTHER = ("东京都内的樱花今年比往年提前五天开放。气象厅表示，三月气温偏高是主要原因。周末公园里挤满了赏花的游客，"
         "不少家庭带着便当前来野餐，附近的商店也推出了季节限定的樱花甜点，吸引了大批年轻人排队购买。")


def test_exact_hash_ignores_spacing_and_punctuation():
    assert content_hash("润日 现象。\n继续") == content_hash("润日现象，继续")


def test_near_duplicate_with_credit_line_points_at_original():
    idx = DedupIndex()
    idx.add("http://a.test/1", ORIGINAL)
    assert idx.check(ORIGINAL + "\n（新华社供稿）") == "http://a.test/1"
    assert idx.check(OTHER) is None


def test_cross_script_copy_is_a_duplicate():
    idx = DedupIndex()
    idx.add("http://a.test/1", ORIGINAL)
    assert idx.check(TRADITIONAL) == "http://a.test/1"


def test_trimmed_copy_is_a_duplicate_short_texts_only_exact():
    idx = DedupIndex()
    idx.add("http://a.test/1", ORIGINAL + OTHER)
    assert idx.check(ORIGINAL) == "http://a.test/1"  # containment, not Jaccard
    idx.add("http://a.test/2", "短い投稿")
    assert idx.check("短い投稿") == "http://a.test/2"
    assert idx.check("短い投稿です") is None
