from nlp.entities import entities, ginza_entities, token_tuples


def ents(nlp, text, lang):
    return {(e["text"], e["label"]) for e in entities(token_tuples(nlp(text)), text, lang)}


def test_ja_person_place_org(ja_nlp):
    found = ents(ja_nlp, "岸田文雄首相は自民党の会合で東京都江東区について語った。", "ja")
    assert ("岸田文雄", "PERSON") in found
    assert ("自民党", "ORG") in found
    assert any(label == "LOC" and "江東区" in text for text, label in found)


def test_zh_person_place_org_from_dictionary_and_gazetteer(zh_nlp):
    found = ents(zh_nlp, "习近平在北京会见了代表团，出入国在留管理厅随后发布公告。", "zh-Hans")
    assert ("习近平", "PERSON") in found
    assert ("北京", "LOC") in found
    assert ("出入国在留管理厅", "ORG") in found


def test_zh_traditional_gazetteer(zh_nlp):
    found = ents(zh_nlp, "許多人搬到東京江東區的豐洲", "zh-Hant")
    assert ("豐洲", "LOC") in found


def test_ginza_labels_are_mapped():
    import spacy

    nlp = spacy.blank("ja")
    doc = nlp.make_doc("岸田文雄")
    doc.ents = [doc.char_span(0, 4, label="Person")]
    assert ginza_entities(doc) == [{"text": "岸田文雄", "label": "PERSON", "start": 0}]


def test_ginza_ner_path():
    from nlp.pipeline import Analyzer, AnalyzerOptions

    ann = Analyzer(AnalyzerOptions(ner="ginza")).analyze("岸田文雄首相は東京都江東区の自民党本部で潤日について語った。")
    found = {(e["text"], e["label"]) for e in ann["entities"]}
    assert {("岸田文雄", "PERSON"), ("自民党", "ORG")} <= found
    assert "潤日" in ann["tokens"]
