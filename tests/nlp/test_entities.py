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


def _reference_entities(toks, text, lang, folded=None):
    """The tagger-run algorithm token by token (before labels were memoised per (tag, text))."""
    from nlp.entities import _NOUN, _gazetteer_hits, _noun_label, _tag_class

    found = {}
    run_start = run_end = -1
    run_label = None
    for tok_text, tag, idx, _skip in toks:
        label = _tag_class(lang == "ja", tag)
        if label == _NOUN:
            label = _noun_label(lang == "ja", tok_text)
        if label is not None and label == run_label and lang == "ja" and label in ("PERSON", "LOC") and idx == run_end:
            run_end = idx + len(tok_text)
            continue
        if run_label is not None:
            found.setdefault((text[run_start:run_end], run_label), run_start)
        run_label = label
        run_start, run_end = idx, idx + len(tok_text)
    if run_label is not None:
        found.setdefault((text[run_start:run_end], run_label), run_start)
    for name, label, start in _gazetteer_hits(text, folded):
        if not any(name in t for (t, _lbl) in found):
            found.setdefault((name, label), start)
    return [{"text": t, "label": lbl, "start": s} for (t, lbl), s in sorted(found.items(), key=lambda kv: kv[1])]


def test_entities_match_the_token_by_token_reference_on_gold(ja_nlp, zh_nlp):
    from nlp.models import load_gold
    from nlp.normalize import normalize

    for e in load_gold(None):
        lang = "ja" if e.lang == "ja" else "zh-Hans"
        nlp = ja_nlp if lang == "ja" else zh_nlp
        text = normalize(e.text)
        toks = nlp.tokenizer.token_tuples(text)
        assert entities(toks, text, lang) == _reference_entities(toks, text, lang), e.id
