from nlp.topics import SeedTopics, topic_ids


def test_taxonomy_ids():
    assert topic_ids()[:3] == ["visa", "real_estate", "education"]
    assert len(topic_ids()) == 11


def test_seed_topics_both_languages_and_scripts():
    seeds = SeedTopics()
    assert "visa" in seeds.predict("経営・管理ビザの資本金が3000万円に")
    assert "visa" in seeds.predict("經營管理簽證門檻提高")  # traditional matches simplified seeds
    assert "real_estate" in seeds.predict("豊洲のタワマンが人気")
    assert seeds.predict("今日は天気がいい") == []


def test_scores_grow_with_hits():
    s = SeedTopics().scores("塔楼公寓 丰洲 江东区")
    assert s["real_estate"] > 0.8 and s["crime"] == 0.0
