"""Named entities (PERSON / LOC / ORG) for both languages.

- Japanese, fast path: SudachiPy's proper-noun tags (固有名詞-人名 / 地名), consecutive ones merged
  (岸田 + 文雄), plus organisation suffixes (党, 庁, 大学 ...) and the gazetteer.
- Japanese, accurate path: GiNZA's NER (ja_ginza), its fine labels mapped to PERSON / LOC / ORG.
- Chinese: no spaCy NER model for zh is on PyPI, so a gazetteer + pattern approach: jieba's own
  dictionary POS tags (nr person, ns place, nt organisation) looked up per token, organisation and
  place suffixes, and the gazetteer (corpus/lexicons/entities.tsv, matched on the folded text).
"""

from __future__ import annotations

import re
from functools import cache
from itertools import compress
from operator import itemgetter

from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, ORTH, TAG
from spacy.tokens import Doc

from nlp.normalize import fold
from nlp.resources import lexicon_path
from nlp.textmatch import literal_pattern
from nlp.tokenize import TOKS_KEY

__all__ = ["entities", "entities_of", "ginza_entities", "gazetteer", "token_tuples"]

_ORG_SUFFIX_JA = ("党", "庁", "省", "大学", "銀行", "協会", "新聞", "株式会社", "グループ", "委員会", "警察", "裁判所", "研究所")
_ORG_SUFFIX_ZH = ("党", "厅", "省", "大学", "银行", "协会", "集团", "公司", "委员会", "警察", "法院", "研究所", "报", "局")
_LOC_SUFFIX_ZH = ("省", "市", "区", "县", "都", "府", "州", "岛")

# GiNZA (Sekine extended named-entity hierarchy) labels -> ours
_GINZA_MAP = {
    "Person": "PERSON",
    "Country": "LOC", "Province": "LOC", "City": "LOC", "GPE": "LOC", "GPE_Other": "LOC",
    "Location": "LOC", "Location_Other": "LOC", "Region": "LOC", "Domestic_Region": "LOC",
    "County": "LOC", "Station": "LOC", "Facility": "LOC", "Island": "LOC",
    "Organization": "ORG", "Organization_Other": "ORG", "Company": "ORG", "Company_Group": "ORG",
    "Government": "ORG", "Political_Party": "ORG", "Political_Organization": "ORG",
    "Political_Organization_Other": "ORG", "School": "ORG", "Military": "ORG", "Show_Organization": "ORG",
    "International_Organization": "ORG", "Public_Institution": "ORG", "Sports_Organization": "ORG",
    "Corporation_Other": "ORG", "Ethnic_Group_Other": "",
}


@cache
def gazetteer() -> tuple[re.Pattern | None, dict[str, str]]:
    labels: dict[str, str] = {}
    path = lexicon_path("entities.tsv")
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#") and "\t" in line:
                name, label = line.split("\t")[:2]
                labels[fold(name)] = label.strip()
    if not labels:
        return None, labels
    names = sorted(labels, key=len, reverse=True)
    return literal_pattern(names), labels


def _gazetteer_hits(text: str, folded: str | None = None) -> list[tuple[str, str, int]]:
    pattern, labels = gazetteer()
    if pattern is None:
        return []
    folded = fold(text) if folded is None else folded
    if len(folded) != len(text):  # NFKC changed lengths: report folded surface
        return [(m.group(), labels[m.group()], m.start()) for m in pattern.finditer(folded)]
    return [(text[m.start() : m.end()], labels[m.group()], m.start()) for m in pattern.finditer(folded)]


_NOUN = "NOUN"  # a noun tag: ORG when the word ends in an organisation suffix


def _tag_class(ja: bool, tag: str) -> str | None:
    if ja:
        if "人名" in tag:
            return "PERSON"
        if "地名" in tag:
            return "LOC"
        return _NOUN if tag.startswith("名詞") else None
    if tag.startswith("nr"):
        return "PERSON"
    if tag == "ns":
        return "LOC"
    if tag == "nt":
        return "ORG"
    return _NOUN if tag.startswith("n") else None


class _ByTag(dict):
    def __init__(self, ja: bool) -> None:
        super().__init__()
        self.ja = ja

    def __missing__(self, tag: str) -> str | None:
        value = self[tag] = _tag_class(self.ja, tag)
        return value


_TAG_CLASSES = {True: _ByTag(True), False: _ByTag(False)}  # tag -> PERSON / LOC / ORG / _NOUN / None


def _noun_label(ja: bool, text: str) -> str | None:
    if ja:
        return "ORG" if len(text) > 1 and text.endswith(_ORG_SUFFIX_JA) else None
    return "ORG" if len(text) >= 3 and text.endswith(_ORG_SUFFIX_ZH) else None


class _NounLabels(dict):
    """noun text -> "ORG" or None (_noun_label), computed once per word; cleared past `limit`."""

    def __init__(self, ja: bool, limit: int = 200_000) -> None:
        super().__init__()
        self.ja = ja
        self.limit = limit

    def __missing__(self, text: str) -> str | None:
        if len(self) >= self.limit:
            self.clear()
        value = self[text] = _noun_label(self.ja, text)
        return value


_NOUN_LABELS = {True: _NounLabels(True), False: _NounLabels(False)}


def token_tuples(doc: Doc) -> list[tuple[str, str, int, bool]]:
    """(text, tag, char offset, is punctuation/space) per token: one pass over the Doc, shared by
    tokens, keywords and entities (creating spaCy Token objects is the costly part).

    Our tokenizers leave these tuples on the Doc (nlp.tokenize.TOKS_KEY) as they build it; they
    are used while the Doc still has that many tokens (no component has merged or split any)."""
    if not len(doc):
        return []
    toks = doc.user_data.get(TOKS_KEY)
    if toks is not None and len(toks) == len(doc):
        return toks
    arr = doc.to_array([ORTH, TAG, IDX, IS_PUNCT, IS_SPACE]).tolist()
    strings = doc.vocab.strings
    return [(strings[o], strings[t], i, bool(p or s)) for o, t, i, p, s in arr]


def entities(toks: list[tuple[str, str, int, bool]], text: str, lang: str, folded: str | None = None) -> list[dict]:
    """Entities from token tags + gazetteer: [{"text", "label", "start"}], sorted by offset, unique."""
    return entities_of([t[0] for t in toks], [t[1] for t in toks], [t[2] for t in toks], text, lang, folded)


def entities_of(words: list[str], tags: list[str], starts: list[int], text: str, lang: str,
                folded: str | None = None) -> list[dict]:
    """`entities` on the token columns (texts, tags, offsets), as the pipeline holds them."""
    found: dict[tuple[str, str], int] = {}
    run_start = run_end = -1
    run_label: str | None = None
    ja = lang == "ja"
    labels = list(map(_TAG_CLASSES[ja].__getitem__, tags))
    noun_labels = _NOUN_LABELS[ja]
    prev = -2
    # Only tokens with a class are visited (`compress`, C-level); a token without one ends the open
    # run, which shows as a gap in the visited indices (most tokens: nothing open, nothing to open).
    for i in compress(range(len(labels)), labels):
        if run_label is not None and i != prev + 1:
            found.setdefault((text[run_start:run_end], run_label), run_start)
            run_label = None
        prev = i
        tok_text = words[i]
        idx = starts[i]
        label = labels[i]
        if label is _NOUN:
            label = noun_labels[tok_text]
        if label is not None and label == run_label and lang == "ja" and label in ("PERSON", "LOC") and idx == run_end:
            run_end = idx + len(tok_text)  # 岸田 + 文雄, 東京 + 都
            continue
        if run_label is not None:
            found.setdefault((text[run_start:run_end], run_label), run_start)
        run_label = label
        run_start, run_end = idx, idx + len(tok_text)
    if run_label is not None:
        found.setdefault((text[run_start:run_end], run_label), run_start)
    hits = _gazetteer_hits(text, folded)
    for name, label, start in hits:
        if not any(name in t for (t, _lbl) in found):
            found.setdefault((name, label), start)
    # token runs are met in offset order; only gazetteer hits need sorting in
    items = sorted(found.items(), key=itemgetter(1)) if hits else found.items()
    return [{"text": t, "label": lbl, "start": s} for (t, lbl), s in items]


def ginza_entities(doc: Doc) -> list[dict]:
    """GiNZA NER spans mapped to PERSON / LOC / ORG (other labels dropped)."""
    out: dict[tuple[str, str], int] = {}
    for ent in doc.ents:
        label = _GINZA_MAP.get(ent.label_)
        if label:
            out.setdefault((ent.text, label), ent.start_char)
    for text, label, start in _gazetteer_hits(doc.text):
        if not any(text in t for (t, _lbl) in out):
            out.setdefault((text, label), start)
    return [{"text": t, "label": lbl, "start": s} for (t, lbl), s in sorted(out.items(), key=lambda kv: kv[1])]
